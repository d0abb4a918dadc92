package pfgm.kernel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Where a forced stop may land on a cell's thread (innermost frame first). */
class StopSafetyTest {
    private static final StackTraceElement CELL_LOOP = frame("REPL.$JShell$12", "do_it$", "#12");
    private static final StackTraceElement REFLECTION = new StackTraceElement("jdk.internal.reflect.NativeMethodAccessorImpl",
            "invoke0", null, -2);
    private static final StackTraceElement TRAINER = frame("pfgm.train.Trainer", "train", "Trainer.java");

    private static StackTraceElement frame(String className, String method, String file) {
        return new StackTraceElement(className, method, file, 10);
    }

    private static StackTraceElement nativeFrame(String className, String method) {
        return new StackTraceElement(className, method, null, -2); // -2: a native method
    }

    @Test
    void theCellsOwnJavaCodeCalledThroughReflectionMayBeStopped() {
        assertTrue(StopSafety.allows(new StackTraceElement[] {CELL_LOOP, REFLECTION}));
        assertTrue(StopSafety.allows(new StackTraceElement[] {frame("pfgm.kernel.Notebook", "display", "Notebook.java"), CELL_LOOP,
            REFLECTION}), "the kernel's own helpers are not the library");
    }

    @Test
    void nativeCodeAndJavaCodeNativeCodeCalledMayNot() {
        assertFalse(StopSafety.allows(new StackTraceElement[] {nativeFrame("ai.djl.pytorch.jni.PyTorchLibrary", "torchAdd"), TRAINER, CELL_LOOP, REFLECTION}));
        assertFalse(StopSafety.allows(new StackTraceElement[] {frame("ai.djl.pytorch.jni.JniUtils", "callback", "JniUtils.java"),
                nativeFrame("ai.djl.pytorch.jni.PyTorchLibrary", "torchForward"), CELL_LOOP, REFLECTION}), "an upcall from JNI");
    }

    @Test
    void aStaticInitializerMayNot() {
        assertFalse(StopSafety.allows(new StackTraceElement[] {frame("java.util.HashMap", "put", "HashMap.java"),
                frame("tech.tablesaw.api.Table", "<clinit>", "Table.java"), CELL_LOOP, REFLECTION}));
    }

    @Test
    void theKitsLibraryAndDjlAreNeverForcedEvenInTheirJavaCode() {
        // The stop lands at the thread's next poll, which may be inside the JNI call just ahead.
        assertFalse(StopSafety.allows(new StackTraceElement[] {frame("pfgm.train.Trainer", "trainStep", "Trainer.java"), TRAINER,
            CELL_LOOP, REFLECTION}));
        assertFalse(StopSafety.allows(new StackTraceElement[] {frame("ai.djl.pytorch.jni.IValueUtils", "forward", "IValueUtils.java"),
            frame("pfgm.util.TorchOps", "silu", "TorchOps.java"), CELL_LOOP, REFLECTION}), "the frames of the SIGSEGV seen");
    }
}
