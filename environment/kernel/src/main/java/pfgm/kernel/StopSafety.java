package pfgm.kernel;

/**
 * When a forced stop (Thread.stop) may hit a suspended cell thread. Never inside a static
 * initializer (the class then stays broken for the JVM's life: a stop in Tablesaw's left every later
 * cell with "Could not initialize class tech.tablesaw.api.Table"), inside native code or Java code
 * native code called, or inside DJL or the kit's library. The stop is delivered when the thread next
 * polls, which may be inside the next JNI call it makes: DJL's native code then goes on with an
 * exception it does not expect, and the kernel JVM died with SIGSEGV (seen with a forced stop landing
 * in the kit's sampler just before a DJL call). The library instead stops by itself at an interrupt,
 * between two training or solver steps ({@code pfgm.util.Interrupts}). The only native frames allowed
 * below are reflection's, which is how the cell itself was called.
 */
final class StopSafety {
    private StopSafety() {}

    /** Whether a thread whose stack is {@code stack} (innermost frame first) may be stopped now. */
    static boolean allows(StackTraceElement[] stack) {
        if (stack.length == 0 || stack[0].isNativeMethod()) {
            return false;
        }
        for (StackTraceElement frame : stack) {
            if (frame.getMethodName().equals("<clinit>") || inLibrary(frame)) {
                return false;
            }
            if (frame.isNativeMethod() && !isReflection(frame)) {
                return false;
            }
        }
        return true;
    }

    /** DJL, or the kit's library outside the kernel: code that reaches PyTorch through JNI. */
    private static boolean inLibrary(StackTraceElement frame) {
        String name = frame.getClassName();
        return name.startsWith("ai.djl.") || name.startsWith("pfgm.") && !name.startsWith("pfgm.kernel.");
    }

    private static boolean isReflection(StackTraceElement frame) {
        return frame.getClassName().startsWith("jdk.internal.reflect.");
    }
}
