package pfgm.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A restart (Jupyter's "restart kernel") ends the old JVM and gives a fresh one that works. */
class KernelRestartTest {
    @Test
    void aRestartForgetsTheStateAndTheNewKernelAnswers() throws Exception {
        try (KernelDriver kernel = KernelDriver.start()) {
            assertEquals("ok", kernel.execute("int beforeRestart = 1;").status());
            String oldPid = kernel.execute("ProcessHandle.current().pid()").resultText();

            assertTrue(kernel.call(KernelDriver.request("restart")).get("alive").getAsBoolean());

            Execution forgotten = kernel.execute("beforeRestart");
            assertEquals("error", forgotten.status(), forgotten::toString);
            assertTrue(ProcessHandle.of(Long.parseLong(oldPid)).isEmpty(), "the old kernel JVM exited");
            assertEquals("2", kernel.execute("1 + 1").resultText());
        }
    }
}
