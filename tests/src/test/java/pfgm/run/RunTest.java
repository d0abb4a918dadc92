package pfgm.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pfgm.train.Checkpoint;
import pfgm.train.Losses;

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
            new Checkpoint(saved.meta(), arrays).write(workdir);
        }
        try (Run run = Run.reopen(workdir, Device.cpu())) {
            float[] restored = run.trainer().network().getParameters().get(key).getArray().toFloatArray();
            for (float v : restored) {
                assertEquals(0.25f, v);
            }
        }
    }

    /**
     * A run directory written by the kit's first layout opens and resumes: its checkpoint's meta
     * holds the fingerprint as one "name = value;" text, and toy2d's weights were saved under the
     * point-charge preconditioning's wrapper block ("01inner_"). Resumed, it trains on with the
     * losses an uninterrupted run has.
     */
    @Test
    void aRunOfTheFirstLayoutResumes() throws Exception {
        Map<String, String> settings = Map.of("train.steps", "4", "snapshotEvery", "0", "checkpointEvery", "2");
        List<Double> uninterrupted;
        try (Run run = Run.open("toy2d", settings, dir.resolve("whole"), Device.cpu())) {
            uninterrupted = Losses.ofTraining(run.trainer());
        }
        Path old = dir.resolve("old");
        try (Run run = Run.open("toy2d", Map.of("train.steps", "2", "snapshotEvery", "0"), old, Device.cpu())) {
            run.trainer().train();
        }
        try (ai.djl.ndarray.NDManager manager = ai.djl.ndarray.NDManager.newBaseManager()) {
            Checkpoint saved = Checkpoint.readIfPresent(old, manager);
            java.util.Map<String, ai.djl.ndarray.NDArray> arrays = new java.util.LinkedHashMap<>();
            saved.arrays().forEach((k, a) -> arrays.put(k.replaceFirst("/", "/01inner_"), a));
            String fingerprint = Fingerprint.of(new RunSettings("toy2d", settings).resolve()).text();
            byte[] meta = ("{\"step\":2,\"adamUpdates\":2,\"emaUpdates\":2,\"fingerprint\":\"" + fingerprint + "\"}")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            arrays.put("meta", manager.create(java.nio.ByteBuffer.wrap(meta), new ai.djl.ndarray.types.Shape(meta.length),
                    ai.djl.ndarray.types.DataType.UINT8));
            pfgm.io.NumPy.writeAll(Checkpoint.path(old), arrays);
        }
        try (Run run = Run.open("toy2d", settings, old, Device.cpu())) {
            assertEquals(2, run.trainer().step());
            assertEquals(uninterrupted.subList(2, 4), Losses.ofTraining(run.trainer()));
        }
        var other = assertThrows(IllegalArgumentException.class, () -> Run.open("toy2d",
                Map.of("train.steps", "4", "pfgm.gamma", "1"), old, Device.cpu()));
        assertTrue(other.getMessage().contains("pfgm.gamma: 0.3 -> 1.0"), other.getMessage());
    }
}
