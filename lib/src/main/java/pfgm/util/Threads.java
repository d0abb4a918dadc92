package pfgm.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * How many threads PyTorch's CPU kernels use (intra-op parallelism), chosen before the engine loads.
 *
 * <p>The kit's default is {@code PFGM_THREADS} when set, else every physical core this process may
 * run on: PyTorch's own advice, and what a user's own machine is for. It does not depend on how busy
 * the machine is, because the thread count changes the numbers (reductions split differently: two
 * six-step mnist_small runs at one and two threads differ by 1.5e-8 in the weights), and the same
 * inputs must give the same numbers whatever else runs. Load changes only how idle OpenMP threads
 * wait, which changes timing and nothing else: {@code environment/bin/omp-wait} (used by the
 * {@code pfgm} command, the notebook kernel and the tests) lets them spin briefly, libgomp's
 * default, when the cores are free, and makes them sleep ({@code OMP_WAIT_POLICY=PASSIVE}) when
 * other work keeps the cores busy, where a spinning thread stalls every parallel region;
 * {@code pfgm bench threads} measures both ways (docs/speed.md has the numbers).
 *
 * <p>DJL reads the system property {@code ai.djl.pytorch.num_threads} when the engine loads; one
 * given on the command line ({@code PFGM_JAVA_OPTS=-Dai.djl.pytorch.num_threads=2}) wins over the
 * default.
 */
public final class Threads {
    /** DJL's system property for the intra-op thread count. */
    public static final String PROPERTY = "ai.djl.pytorch.num_threads";
    /** The environment variable that sets the kit's default. */
    public static final String VARIABLE = "PFGM_THREADS";

    private Threads() {}

    /** {@code PFGM_THREADS} if set, else {@link #physicalCores()}. */
    public static int defaultCount() {
        String configured = System.getenv(VARIABLE);
        if (configured == null || configured.isBlank()) {
            return physicalCores();
        }
        try {
            int n = Integer.parseInt(configured.strip());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the error below
        }
        throw new IllegalArgumentException(VARIABLE + " must be a whole number >= 1, got '" + configured + "'");
    }

    /**
     * The physical cores among the processors this process may use: on Linux the distinct cores
     * (sets of hardware threads in {@code /sys/devices/system/cpu/cpuN/topology/core_cpus_list}) of
     * the processors in {@code Cpus_allowed_list}, at most {@link Runtime#availableProcessors()}
     * (which also counts a container's CPU quota); elsewhere the available processors.
     */
    public static int physicalCores() {
        int available = Runtime.getRuntime().availableProcessors();
        try {
            return Math.max(1, Math.min(available, physicalCores(Path.of("/sys/devices/system/cpu"), allowedProcessors())));
        } catch (IOException | RuntimeException unreadable) {
            return available; // not Linux, or no topology in sysfs
        }
    }

    /** The distinct cores of {@code processors} by the topology under {@code sysfsCpu}. */
    static int physicalCores(Path sysfsCpu, Set<Integer> processors) throws IOException {
        Set<Set<Integer>> cores = new HashSet<>();
        for (int cpu : processors) {
            Path topology = sysfsCpu.resolve("cpu" + cpu).resolve("topology");
            Path siblings = Files.exists(topology.resolve("core_cpus_list")) ? topology.resolve("core_cpus_list")
                    : topology.resolve("thread_siblings_list"); // the older name
            cores.add(parseList(Files.readString(siblings)));
        }
        if (cores.isEmpty()) {
            throw new IOException("no processors");
        }
        return cores.size();
    }

    /** The processors in this process's affinity mask ({@code Cpus_allowed_list} of /proc/self/status). */
    private static Set<Integer> allowedProcessors() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Cpus_allowed_list:")) {
                return parseList(line.substring(line.indexOf(':') + 1));
            }
        }
        throw new IOException("no Cpus_allowed_list");
    }

    /** A Linux CPU list such as {@code 0-3,8,10-11}. */
    static Set<Integer> parseList(String list) {
        Set<Integer> cpus = new TreeSet<>();
        for (String part : list.strip().split(",")) {
            String[] range = part.strip().split("-");
            int first = Integer.parseInt(range[0].strip());
            int last = range.length > 1 ? Integer.parseInt(range[1].strip()) : first;
            for (int cpu = first; cpu <= last; cpu++) {
                cpus.add(cpu);
            }
        }
        return cpus;
    }

    /** PyTorch's intra-op threads in this process (loads the engine). */
    public static int current() {
        ai.djl.engine.Engine.getInstance();
        return ai.djl.pytorch.jni.JniUtils.getNumThreads();
    }

    /**
     * Sets DJL's thread property to {@link #defaultCount} unless it is set already. Call it first
     * thing in a main method: it has no effect once the PyTorch engine has loaded.
     */
    public static void useDefault() {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, Integer.toString(defaultCount()));
        }
    }

    /** How idle OpenMP threads wait in this process: {@code OMP_WAIT_POLICY}, or libgomp's default when unset. */
    public static String waitPolicy() {
        String policy = System.getenv("OMP_WAIT_POLICY");
        return policy == null || policy.isBlank() ? "default" : policy.strip().toLowerCase(java.util.Locale.ROOT);
    }
}
