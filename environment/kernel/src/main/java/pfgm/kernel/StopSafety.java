package pfgm.kernel;

/**
 * When a forced stop (Thread.stop) may hit a suspended cell thread. Two places measured unsafe:
 * inside a static initializer (the class then stays broken for the JVM's life: a stop in Tablesaw's
 * left every later cell with "Could not initialize class tech.tablesaw.api.Table"), and inside
 * native code or Java code native code called (DJL's JNI then went on with an exception it did not
 * expect; the kernel JVM died with SIGSEGV). The only native frames allowed below are reflection's,
 * which is how the cell itself was called.
 */
final class StopSafety {
    private StopSafety() {}

    /** Whether a thread whose stack is {@code stack} (innermost frame first) may be stopped now. */
    static boolean allows(StackTraceElement[] stack) {
        if (stack.length == 0 || stack[0].isNativeMethod()) {
            return false;
        }
        for (StackTraceElement frame : stack) {
            if (frame.getMethodName().equals("<clinit>")) {
                return false;
            }
            if (frame.isNativeMethod() && !isReflection(frame)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the thread is inside the kit's library, which stops cleanly by itself when
     * interrupted (the trainer between two steps) and so is given time to.
     */
    static boolean inLibrary(StackTraceElement[] stack) {
        for (StackTraceElement frame : stack) {
            String name = frame.getClassName();
            if (name.startsWith("pfgm.") && !name.startsWith("pfgm.kernel.")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isReflection(StackTraceElement frame) {
        return frame.getClassName().startsWith("jdk.internal.reflect.");
    }
}
