package pfgm.util;

/**
 * How many threads PyTorch's CPU kernels use (intra-op parallelism), chosen before the engine loads.
 *
 * <p>The kit's default is {@code PFGM_THREADS} when set, else half the available processors, at
 * least one: the physical cores on a machine with two hardware threads per core (PyTorch's own
 * advice), and one on the two-core machines the kit is developed on. Measured there with other jobs
 * sharing the cores (mnist_small DDPM++, batch 64): PyTorch's default of two threads with OpenMP's
 * default wait policy took 2.8-4.8 s per step against 0.4-0.8 s with one, because a parallel region
 * waits for its slowest thread and a descheduled spinning thread stalls every region. The launchers
 * also set {@code OMP_WAIT_POLICY=PASSIVE}, so idle OpenMP threads sleep instead of spinning (it
 * must be in the environment before the JVM starts; the library cannot set it).
 *
 * <p>DJL reads the system property {@code ai.djl.pytorch.num_threads} (and
 * {@code ai.djl.pytorch.num_interop_threads}) when the engine loads; one given on the command line
 * ({@code PFGM_JAVA_OPTS=-Dai.djl.pytorch.num_threads=2}) wins over the default.
 */
public final class Threads {
    /** DJL's system property for the intra-op thread count. */
    public static final String PROPERTY = "ai.djl.pytorch.num_threads";
    /** The environment variable that sets the kit's default. */
    public static final String VARIABLE = "PFGM_THREADS";

    private Threads() {}

    /** {@code PFGM_THREADS} if set, else max(1, available processors / 2). */
    public static int defaultCount() {
        String configured = System.getenv(VARIABLE);
        if (configured != null && !configured.isBlank()) {
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
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
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
}
