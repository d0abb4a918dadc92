package pfgm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real mnist_small preset (environment/test fetches MNIST first). */
class RunTest {
    @TempDir
    Path dir;

    /**
     * Two runs of 50 steps from the same seed give identical losses, every one finite: nothing in
     * a step depends on timing, the garbage collector or memory nobody wrote.
     */
    @Test
    void twoFixedSeedMnistSmallRunsGiveIdenticalLosses() throws Exception {
        List<Double> first = losses(dir.resolve("a"));
        List<Double> second = losses(dir.resolve("b"));
        assertEquals(50, first.size());
        assertTrue(first.stream().allMatch(Double::isFinite), "losses " + first);
        assertEquals(first, second);
    }

    private static List<Double> losses(Path workdir) throws Exception {
        try (Run run = Run.open("mnist_small", Map.of("train.steps", "50", "snapshotEvery", "0"), workdir, Device.cpu())) {
            return Losses.ofTraining(run.trainer());
        }
    }

    /**
     * Fixed (untrained) parameters such as the toy MLP's Fourier projection are saved and restored
     * with the run, so a run reopened on another device, or imported, keeps its own values rather
     * than ones drawn again from the engine's generator.
     */
    @Test
    void fixedParametersComeBackFromTheCheckpoint() throws Exception {
        Path workdir = dir.resolve("toy");
        String key;
        try (Run run = Run.open("toy2d", Map.of("train.steps", "2", "snapshotEvery", "0"), workdir, Device.cpu())) {
            run.trainer().train();
            key = run.trainer().network().getParameters().stream().filter(p -> !p.getValue().requiresGradient())
                    .map(ai.djl.util.Pair::getKey).findFirst().orElseThrow();
        }
        try (ai.djl.ndarray.NDManager manager = ai.djl.ndarray.NDManager.newBaseManager()) {
            Checkpoint saved = Checkpoint.readIfPresent(workdir, manager);
            ai.djl.ndarray.NDArray w = saved.arrays().get("model/" + key);
            assertTrue(w != null, "model/" + key + " is in the checkpoint");
            java.util.Map<String, ai.djl.ndarray.NDArray> arrays = new java.util.LinkedHashMap<>(saved.arrays());
            arrays.put("model/" + key, manager.full(w.getShape(), 0.25f));
            new Checkpoint(saved.step(), saved.adamUpdates(), saved.emaUpdates(), saved.fingerprint(), arrays).write(workdir);
        }
        try (Run run = Run.reopen(workdir, Device.cpu())) {
            float[] restored = run.trainer().network().getParameters().get(key).getArray().toFloatArray();
            for (float v : restored) {
                assertEquals(0.25f, v);
            }
        }
    }
}
