package pfgm.util;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Chooses where arrays live: "auto" (a GPU when DJL sees one, else the CPU), "cpu", "gpu" (the
 * first) or "gpu:N" (the GPU a scheduler such as Spark's gave a task); and, for data-parallel
 * training, a list of them ({@link #list}).
 */
public final class Devices {
    /**
     * Environment variable: the devices the notebooks' runs (pfgm.run.Runs, ablation grids) train
     * on, and {@code pfgm train} when given neither --device nor --devices.
     */
    public static final String VARIABLE = "PFGM_DEVICES";

    private Devices() {}

    /**
     * The devices a training run puts one replica of the network on, the first holding the run
     * (pfgm.train.Trainer): "all" (every GPU PyTorch sees; the CPU alone when it sees none) or
     * names separated by commas, such as "gpu:0,gpu:1". A device may repeat: "cpu,cpu" is two
     * replicas on the CPU, which is how the kit tests the replicas without a GPU.
     */
    public static List<Device> list(String names) {
        String spec = names == null ? "" : names.strip();
        if (spec.equalsIgnoreCase("all")) {
            int gpus = Engine.getInstance().getGpuCount();
            // cpu: without a GPU, "all" is the one device every machine has
            return gpus == 0 ? List.of(Device.cpu()) : IntStream.range(0, gpus).mapToObj(Device::gpu).toList();
        }
        List<Device> devices = new ArrayList<>();
        for (String name : spec.split(",", -1)) {
            if (name.isBlank()) {
                throw new IllegalArgumentException("the device list '" + spec + "' has an empty entry: name devices "
                        + "separated by commas, such as gpu:0,gpu:1 (or cpu,cpu), or say all");
            }
            try {
                devices.add(resolve(name.strip()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("in the device list '" + spec + "': " + e.getMessage(), e);
            }
        }
        return List.copyOf(devices);
    }

    /** The devices {@link #VARIABLE} lists when it is set, else {@code device} alone. */
    public static List<Device> forTraining(Device device) {
        String listed = System.getenv(VARIABLE);
        return listed == null || listed.isBlank() ? List.of(device) : list(listed);
    }

    public static Device resolve(String name) {
        Engine engine = Engine.getInstance();
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("gpu:")) {
            int index = gpuIndex(name);
            requireGpu(engine);
            if (index >= engine.getGpuCount()) {
                throw new IllegalArgumentException("device " + name + " asked for, but PyTorch sees " + engine.getGpuCount()
                        + " GPU(s), numbered from 0");
            }
            return Device.gpu(index);
        }
        return switch (lower) {
            case "auto" -> engine.defaultDevice();
            case "cpu" -> Device.cpu(); // cpu: what the caller asked for
            case "gpu" -> {
                requireGpu(engine);
                yield Device.gpu();
            }
            default -> throw new IllegalArgumentException("unknown device '" + name + "': use auto, cpu, gpu or gpu:N");
        };
    }

    /**
     * Throws when arrays meant to meet are on different devices: PyTorch's own error ("Expected all
     * tensors to be on the same device") comes later, from deep inside an operation, and names
     * neither array. {@code what} names the array on {@code actual}, {@code fix} says how to put it right.
     */
    public static void requireSame(Device actual, Device expected, String what, String fix) {
        if (!actual.equals(expected)) {
            throw new IllegalStateException(what + " is on " + actual + " but must be on " + expected + ": " + fix);
        }
    }

    /**
     * The device as result rows name it: "cpu: AMD EPYC 9B14, 2 cores" (the processor's model from
     * /proc/cpuinfo where Linux has it) or "gpu 0: CUDA compute capability 8.0".
     */
    public static String describe(Device device) {
        if (device.isGpu()) {
            return "gpu " + device.getDeviceId() + ": CUDA compute capability "
                    + ai.djl.util.cuda.CudaUtils.getComputeCapability(device.getDeviceId());
        }
        return "cpu: " + cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores";
    }

    private static String cpuModel() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux, or not readable: the JVM's name of the architecture below
        }
        return System.getProperty("os.arch");
    }

    private static int gpuIndex(String name) {
        try {
            int index = Integer.parseInt(name.substring(4).strip());
            if (index >= 0) {
                return index;
            }
        } catch (NumberFormatException ignored) {
            // the message below says what is expected
        }
        throw new IllegalArgumentException("unknown device '" + name + "': gpu:N takes a GPU number N >= 0, such as gpu:1");
    }

    private static void requireGpu(Engine engine) {
        if (engine.getGpuCount() == 0) {
            throw new IllegalArgumentException("a GPU was requested but PyTorch sees none: this build uses the "
                    + "CPU native library, or no CUDA device is present. Rebuild with 'mvn -Pcuda package' on "
                    + "a machine with an NVIDIA GPU and driver, or use --device cpu");
        }
    }
}
