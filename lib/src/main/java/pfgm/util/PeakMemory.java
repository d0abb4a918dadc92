package pfgm.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Peak resident memory of this process around a piece of work, from Linux's VmHWM. Writing "5" to
 * /proc/self/clear_refs resets the high-water mark, so one process can measure several methods.
 * It counts native (PyTorch) allocations, which the JVM's heap statistics do not see.
 */
public final class PeakMemory {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    private PeakMemory() {}

    /** True where the high-water mark can be reset (Linux). */
    public static boolean supported() {
        return Files.isWritable(CLEAR_REFS) && Files.isReadable(STATUS);
    }

    /** Runs {@code work} and returns the growth of peak resident memory over the resident size before it, in bytes. */
    public static long during(Runnable work) {
        reset();
        long before = field("VmRSS");
        work.run();
        return Math.max(0, field("VmHWM") - before);
    }

    private static void reset() {
        try {
            Files.writeString(CLEAR_REFS, "5");
        } catch (IOException e) {
            throw new IllegalStateException("cannot reset the peak memory mark: " + e.getMessage(), e);
        }
    }

    private static long field(String name) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(name + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + STATUS + ": " + e.getMessage(), e);
        }
        throw new IllegalStateException(name + " missing from " + STATUS);
    }
}
