package pfgm.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stop button (interrupt_request) on cells that sleep, initialize a class, train, or run
 * library code that never looks at interrupts: each stops, and the kernel goes on whole. JShell's
 * own stop (Thread.stop wherever the thread was) broke Tablesaw's class for good when it landed in
 * its static initializer, and killed the JVM (SIGSEGV) when it landed in DJL's native code.
 */
class InterruptTest {
    @TempDir
    static java.nio.file.Path runs;
    private static KernelDriver kernel;

    @BeforeAll
    static void startKernel() throws Exception {
        kernel = KernelDriver.start(java.util.Map.of("PFGM_RUNS", runs.toString()));
        kernel.ok("var device = Devices.resolve(\"cpu\");\n"
                + "var run = Runs.open(\"toy2d\", Map.of(\"train.steps\", \"100000\", \"snapshotEvery\", \"0\"), device);");
    }

    @AfterAll
    static void stopKernel() throws Exception {
        if (kernel != null) {
            kernel.close();
        }
    }

    /** Runs {@code code}, presses stop after {@code delay} seconds; the cell must report it was interrupted. */
    private static Execution interrupted(String code, double delay) {
        JsonObject request = KernelDriver.request("interrupt");
        request.addProperty("code", code);
        request.addProperty("delay", delay);
        Execution run = new Execution(code, kernel.call(request));
        assertEquals("error", run.status(), run::toString);
        assertEquals("CellInterruptedException", run.reply().get("ename").getAsString(), run::toString);
        return run;
    }

    @Test
    void aSleepingCellStopsAtOnce() {
        Execution run = interrupted("Thread.sleep(60_000);", 1.0);
        assertTrue(run.replyTime() < 2.0, "Thread.interrupt ends a sleep, no forced stop needed: " + run.replyTime() + " s");
    }

    @Test
    void aStopDuringAStaticInitializerLeavesTheClassWhole() {
        kernel.ok("class SlowToInitialize {\n"
                + "    static final int VALUE;\n"
                + "    static { long start = System.nanoTime(); while (System.nanoTime() - start < 2_000_000_000L) { } VALUE = 7; }\n"
                + "}");
        interrupted("SlowToInitialize.VALUE", 0.5);
        assertEquals("7", kernel.ok("SlowToInitialize.VALUE").resultText(), "not 'Could not initialize class'");
    }

    @Test
    void trainingStopsBetweenTwoStepsAgainAndAgain() {
        long before = Long.parseLong(kernel.ok("run.trainer().step()").resultText());
        for (double delay : new double[] {1.0, 1.3, 1.7, 2.2}) {
            Execution run = interrupted("run.trainer().train();", delay);
            assertTrue(run.replyTime() < delay + 2.0, "stopped within a step or two, without the forced stop's grace: " + run.replyTime());
            long after = Long.parseLong(kernel.ok("run.trainer().step()").resultText());
            assertTrue(after > before, "trained further: " + before + " -> " + after);
            before = after;
        }
    }

    /** A forced stop there once killed the JVM (SIGSEGV in DJL's JNI); the samplers stop by themselves. */
    @Test
    void samplingStopsBetweenTwoSolverStepsAndIsNeverForced() {
        String sampling = "while (true) { run.sample(256, run.preset().sampling(), 1).y().close(); }";
        for (double delay : new double[] {0.8, 1.1, 1.5}) {
            Execution run = interrupted(sampling, delay);
            assertTrue(run.replyTime() < delay + 2.0, "stopped within a solver step or two: " + run.replyTime() + " s");
            assertEquals("(10, 2)", kernel.ok("run.sample(10, run.preset().sampling(), 2).y().getShape()").resultText(),
                    "the engine still samples");
        }
    }
}
