package pfgm.util;

import java.util.concurrent.CancellationException;

/**
 * The library's long loops (training steps, solver steps) look at their thread's interrupt flag
 * between two steps, so a notebook's stop button or a cancelled task ends them where their state is
 * whole. Forcing a thread out of code that calls PyTorch through JNI can crash the JVM, so the
 * notebook kernel never forces the library: it relies on these checks.
 */
public final class Interrupts {
    private Interrupts() {}

    /** @throws CancellationException with {@code message} when this thread was interrupted */
    public static void check(String message) {
        if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException(message);
        }
    }
}
