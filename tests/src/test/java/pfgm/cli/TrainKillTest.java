package pfgm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pfgm.PfgmProcess;
import pfgm.train.Checkpoint;
import tech.tablesaw.api.Table;

/**
 * A `pfgm train` process killed with SIGKILL between checkpoints, then resumed, ends with the losses
 * and weights of an uninterrupted run from the same seed: nothing of a step depends on the process it
 * ran in, and nothing half-written survives the kill.
 */
class TrainKillTest {
    static final String[] RUN = {"train", "--preset", "mnist_small", "--steps", "40", "--set", "snapshotEvery=0", "--set",
        "checkpointEvery=10", "--set", "logEvery=1"};

    @TempDir
    Path dir;

    @Test
    void aKilledTrainingResumesToTheUninterruptedLossesAndWeights() throws Exception {
        Path whole = dir.resolve("whole");
        train(whole);

        Path killed = dir.resolve("killed");
        Process process = PfgmProcess.start(dir.resolve("train.log"), args(killed));
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        // Killed between checkpoints: after the one at step 20, before the one at 30.
        while (step(killed) < 20 && process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(100);
        assertTrue(process.isAlive(), "the run ended before it could be killed: " + Files.readString(dir.resolve("train.log")));
        process.destroyForcibly().waitFor();
        long at = step(killed);
        assertTrue(at >= 20 && at < 40, "killed after the checkpoint of step " + at);

        train(killed);
        assertEquals(losses(whole), losses(killed), "the logged losses, one per step");
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> a = Checkpoint.readIfPresent(whole, manager).arrays();
            Map<String, NDArray> b = Checkpoint.readIfPresent(killed, manager).arrays();
            assertEquals(a.keySet(), b.keySet());
            for (String name : a.keySet()) {
                assertArrayEquals(a.get(name).toByteArray(), b.get(name).toByteArray(), name);
            }
        }
    }

    private static String[] args(Path workdir) {
        String[] out = java.util.Arrays.copyOf(RUN, RUN.length + 2);
        out[RUN.length] = "--workdir";
        out[RUN.length + 1] = workdir.toString();
        return out;
    }

    private void train(Path workdir) throws Exception {
        Process process = PfgmProcess.start(dir.resolve(workdir.getFileName() + ".log"), args(workdir));
        assertTrue(process.waitFor(10, TimeUnit.MINUTES));
        assertEquals(0, process.exitValue(), Files.readString(dir.resolve(workdir.getFileName() + ".log")));
    }

    private static long step(Path workdir) {
        try {
            Checkpoint.Meta meta = Checkpoint.readMetaIfPresent(workdir);
            return meta == null ? 0 : meta.step();
        } catch (IllegalArgumentException renaming) {
            return 0;
        }
    }

    private static List<?> losses(Path workdir) {
        return Table.read().csv(workdir.resolve("metrics.csv").toFile()).column("loss").asList();
    }
}
