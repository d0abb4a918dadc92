package pfgm.kernel;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.TimeUnit;
import jdk.jshell.spi.ExecutionControl.StoppedException;

/**
 * Runs each snippet on a thread of its own, and stops it when the notebook's stop button asks:
 * first as Java asks a thread to stop (Thread.interrupt: sleeping, waiting and I/O end at once,
 * the kit's trainer and samplers between two steps), then by force (Thread.stop), but only while the
 * thread is suspended where {@link StopSafety} allows it: in the cell's own code, never inside DJL
 * or the kit's library, which a cell that ignores the stop keeps running until it returns there,
 * and only after {@link #GRACE_NANOS}: code that looks at interrupts (the kit's) has ended by
 * then, and code that does not is rarely a step away from a JNI call.
 *
 * <p>JShell's own local engine stops its whole thread group with Thread.stop wherever the threads
 * are: inside a static initializer or DJL's native code that broke classes or killed the JVM.
 */
final class SnippetThread {
    static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long POLL_MILLIS = 10;

    private volatile Thread running;
    private volatile Thread stopping;

    SnippetThread() {
        // Loaded now: the stopper must not load a class while the cell's thread, which it suspends,
        // may hold a class loading lock.
        StopSafety.allows(new Thread().getStackTrace());
    }

    /** Runs {@code snippet} and waits for it; its exception comes back as an InvocationTargetException. */
    Object run(Method snippet) throws InvocationTargetException, StoppedException {
        Object[] result = new Object[1];
        Throwable[] thrown = new Throwable[1];
        Thread thread = new Thread(() -> {
            try {
                result[0] = snippet.invoke(null);
            } catch (InvocationTargetException e) {
                thrown[0] = e.getCause();
            } catch (Throwable e) { // ThreadDeath from a forced stop, or reflection failing
                thrown[0] = e;
            }
        }, "notebook cell");
        thread.setDaemon(true); // a cell still running must not keep a shut-down kernel alive
        thread.setUncaughtExceptionHandler((t, e) -> { }); // a stop landing after the try ends nothing more
        running = thread;
        thread.start();
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true; // the kernel's own thread: wait for the cell all the same
            }
        }
        running = null;
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (thrown[0] instanceof ThreadDeath) {
            throw new StoppedException();
        }
        if (thrown[0] != null) {
            throw new InvocationTargetException(thrown[0]);
        }
        return result[0];
    }

    /** Asks the running snippet to stop and returns at once; a stopper thread forces it if need be. */
    void stop() {
        Thread thread = running;
        if (thread == null || thread == stopping) {
            return; // nothing runs, or this one is being stopped already
        }
        stopping = thread;
        thread.interrupt();
        Thread stopper = new Thread(() -> force(thread), "notebook cell stopper");
        stopper.setDaemon(true);
        stopper.start();
    }

    private void force(Thread thread) {
        try {
            TimeUnit.NANOSECONDS.sleep(GRACE_NANOS);
        } catch (InterruptedException e) {
            return;
        }
        while (thread.isAlive()) {
            if (forceIfSafe(thread)) {
                return;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Suspended, the thread is where its stack says: it is stopped there or not at all. */
    @SuppressWarnings({"deprecation", "removal"}) // the JDK's only way to stop code that ignores interrupts
    private static boolean forceIfSafe(Thread thread) {
        thread.suspend();
        try {
            if (!thread.isAlive()) {
                return true;
            }
            StackTraceElement[] stack = thread.getStackTrace();
            if (StopSafety.allows(stack)) {
                thread.stop();
                return true;
            }
            return false;
        } finally {
            thread.resume();
        }
    }
}
