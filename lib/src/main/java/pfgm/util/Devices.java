package pfgm.util;

import ai.djl.Device;
import ai.djl.engine.Engine;

/** Chooses where arrays live: "auto" (a GPU when DJL sees one, else the CPU), "cpu" or "gpu". */
public final class Devices {
    private Devices() {}

    public static Device resolve(String name) {
        Engine engine = Engine.getInstance();
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "auto" -> engine.defaultDevice();
            case "cpu" -> Device.cpu();
            case "gpu" -> {
                if (engine.getGpuCount() == 0) {
                    throw new IllegalArgumentException("a GPU was requested but PyTorch sees none: this build uses the "
                            + "CPU native library, or no CUDA device is present. Rebuild with 'mvn -Pcuda package' on "
                            + "a machine with an NVIDIA GPU and driver, or use --device cpu");
                }
                yield Device.gpu();
            }
            default -> throw new IllegalArgumentException("unknown device '" + name + "': use auto, cpu or gpu");
        };
    }
}
