package pfgm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pfgm.method.pfgm.Pfgm;
import pfgm.method.pfgm.PfgmConfig;
import pfgm.util.CodeVersion;
import pfgm.util.Rng;

class TrainerTest {
    @TempDir
    Path dir;

    static TrainConfig config(int steps, double lr, int checkpointEvery) {
        return new TrainConfig(64, 16, lr, 0.9, 1e-8, 0, 1.0, 0.99, steps, 1, checkpointEvery, 0, 42);
    }

    static final Pfgm PFGM = new Pfgm(new PfgmConfig(0.01, 0.03, 120, true, 5, 1e-3, 40, 3000, 5));
    /** What the checkpoints store as the run's settings (the run directory checks them, not the trainer). */
    static final java.util.Map<String, String> TINY = java.util.Map.of("network", "tiny-2d");

    /** Two Gaussian blobs in 2-D, fresh each step from the step's random stream. */
    static final BatchSource BLOBS = (manager, size, rng) ->
            rng.normal(manager, new Shape(size, 2)).mul(0.2f).add(manager.create(new float[] {1, -0.5f}));

    static Trainer trainer(Path workdir, TrainConfig config, float dropout) throws Exception {
        return new Trainer(PFGM, new TinyFieldNet(2, 32, dropout), new Shape(2), BLOBS, config, workdir, TINY,
                Device.cpu());
    }


    @Test
    void trainingLowersTheLossOnAFixedBatch() throws Exception {
        try (NDManager manager = NDManager.newBaseManager();
                Trainer trainer = trainer(dir, config(150, 3e-3, 1000), 0)) {
            var batch = BLOBS.batch(manager, 64, new Rng(1));
            double before = Losses.step(PFGM, trainer.currentModel(), batch, new Rng(2)).getFloat();
            trainer.train();
            double after = Losses.step(PFGM, trainer.currentModel(), batch, new Rng(2)).getFloat();
            assertTrue(after < 0.7 * before, "loss before " + before + ", after " + after);
        }
    }

    @Test
    void theSameSeedGivesTheSameLosses() throws Exception {
        List<Double> first;
        try (Trainer t = trainer(dir.resolve("a"), config(8, 1e-3, 100), 0.1f)) {
            first = Losses.ofTraining(t);
        }
        try (Trainer t = trainer(dir.resolve("b"), config(8, 1e-3, 100), 0.1f)) {
            assertEquals(first, Losses.ofTraining(t));
        }
    }

    /** A run killed after its step-10 checkpoint, then resumed, repeats the uninterrupted run exactly. */
    @Test
    void aKilledRunResumesWithTheSameLosses() throws Exception {
        List<Double> uninterrupted;
        try (Trainer t = trainer(dir.resolve("whole"), config(20, 1e-3, 5), 0.1f)) {
            uninterrupted = Losses.ofTraining(t);
        }
        Path workdir = dir.resolve("killed");
        try (Trainer t = trainer(workdir, config(20, 1e-3, 5), 0.1f)) {
            t.addListener(new Trainer.Listener() {
                @Override
                public void onStep(long step, double loss) {
                    if (step == 13) {
                        throw new IllegalStateException("killed");
                    }
                }
            });
            assertThrows(IllegalStateException.class, t::train);
        }
        try (Trainer t = trainer(workdir, config(20, 1e-3, 5), 0.1f)) {
            assertEquals(10, t.step(), "resumes from the last checkpoint");
            List<Double> resumed = Losses.ofTraining(t);
            assertEquals(uninterrupted.subList(10, 20), resumed);
            double[] logged = t.metrics().table().doubleColumn("loss").asDoubleArray();
            assertArrayEquals(uninterrupted.stream().mapToDouble(Double::doubleValue).toArray(), logged,
                    "the metrics log has one row per step, with no gap or repeat");
        }
    }

    /**
     * The notebook kernel's stop button interrupts the training thread: train() stops between two
     * steps, and the same trainer, trained again, gives the losses of a run never interrupted.
     */
    @Test
    void anInterruptStopsTrainingBetweenStepsAndTrainingAgainContinuesTheSameRun() throws Exception {
        List<Double> uninterrupted;
        try (Trainer t = trainer(dir.resolve("whole"), config(12, 1e-3, 100), 0.1f)) {
            uninterrupted = Losses.ofTraining(t);
        }
        try (Trainer t = trainer(dir.resolve("stopped"), config(12, 1e-3, 100), 0.1f)) {
            List<Double> losses = new java.util.ArrayList<>();
            t.addListener(new Trainer.Listener() {
                @Override
                public void onStep(long step, double loss) {
                    losses.add(loss);
                    if (step == 5) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            try {
                var stopped = assertThrows(java.util.concurrent.CancellationException.class, t::train);
                assertTrue(stopped.getMessage().startsWith("training interrupted after step 5"), stopped.getMessage());
                assertEquals(5, t.step());
            } finally {
                Thread.interrupted(); // the test thread goes on
            }
            t.train();
            assertEquals(uninterrupted, losses);
        }
    }

    @Test
    void aNanLossStopsTheRunAndKeepsTheLastCheckpoint() throws Exception {
        int[] calls = {0};
        BatchSource poisoned = (manager, size, rng) -> {
            var batch = BLOBS.batch(manager, size, rng);
            return ++calls[0] == 8 ? batch.mul(Float.NaN) : batch;
        };
        Path workdir = dir.resolve("nan");
        try (Trainer t = new Trainer(PFGM, new TinyFieldNet(2, 16, 0), new Shape(2), poisoned, config(50, 1e-3, 1), workdir,
                TINY, Device.cpu())) {
            TrainingDiverged e = assertThrows(TrainingDiverged.class, t::train);
            assertTrue(e.getMessage().contains("step " + e.step()) && e.getMessage().contains("learning rate"), e.getMessage());
            assertEquals(7, e.step(), "the eighth step (step 7) failed");
            assertEquals(7, t.step(), "stopped at the failing step");
            byte[] checkpoint = Files.readAllBytes(Checkpoint.path(workdir));
            try (NDManager m = NDManager.newBaseManager()) {
                assertEquals(e.step(), Checkpoint.readIfPresent(workdir, m).step(), "the last good step's checkpoint");
            }
            assertTrue(checkpoint.length > 0);
        }
    }

    /**
     * A network whose loss is finite but whose gradient is NaN (the derivative of sqrt at 0, times
     * 0): the run stops with a message that names the gradient, before any weight changes.
     */
    @Test
    void aNanGradientStopsTheRunBeforeAnyWeightChanges() throws Exception {
        try (Trainer t = new Trainer(PFGM, new NanGradientNet(new TinyFieldNet(2, 16, 0)), new Shape(2), BLOBS,
                config(5, 1e-3, 1), dir.resolve("nan-gradient"), TINY, Device.cpu())) {
            List<float[]> before = t.network().getParameters().values().stream().map(p -> p.getArray().toFloatArray()).toList();
            TrainingDiverged e = assertThrows(TrainingDiverged.class, t::train);
            assertTrue(e.getMessage().contains("gradient norm became NaN at step 0"), e.getMessage());
            List<float[]> after = t.network().getParameters().values().stream().map(p -> p.getArray().toFloatArray()).toList();
            for (int i = 0; i < before.size(); i++) {
                assertArrayEquals(before.get(i), after.get(i), "no weight was updated");
            }
        }
    }

    /** Adds sqrt(v - v) * (v - v) to the output: 0 forward, NaN backward. */
    private static final class NanGradientNet extends ai.djl.nn.AbstractBlock {
        private final TinyFieldNet inner;

        NanGradientNet(TinyFieldNet inner) {
            this.inner = addChildBlock("inner", inner);
        }

        @Override
        protected ai.djl.ndarray.NDList forwardInternal(ParameterStore ps, ai.djl.ndarray.NDList inputs, boolean training,
                ai.djl.util.PairList<String, Object> params) {
            var v = inner.forward(ps, inputs, training).singletonOrThrow();
            var zero = v.sub(v);
            return new ai.djl.ndarray.NDList(v.add(zero.sqrt().mul(zero)));
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, ai.djl.ndarray.types.DataType dataType, Shape... shapes) {
            inner.initialize(manager, dataType, shapes);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inner.getOutputShapes(inputShapes);
        }
    }

    /** A Jupyter cell's thread records gradients; resuming a run there must still write its weights. */
    @Test
    void aRunResumesInAThreadThatRecordsGradients() throws Exception {
        Path workdir = dir.resolve("recording");
        try (Trainer t = trainer(workdir, config(3, 1e-3, 1), 0)) {
            t.train();
        }
        ai.djl.pytorch.jni.JniUtils.setGradMode(true);
        try (Trainer t = trainer(workdir, config(5, 1e-3, 1), 0)) {
            assertEquals(3, t.step());
            t.train();
            assertEquals(5, t.step());
        } finally {
            ai.djl.pytorch.jni.JniUtils.setGradMode(false);
        }
    }

    /**
     * Restoring copies the saved weights into the parameters' own (native) memory. DJL's
     * set(Buffer) would instead re-point a parameter at the checkpoint's Java buffer, which
     * PtNDArray then keeps in its field dataRef: that field stays empty for native storage.
     */
    @Test
    void aResumedRunOwnsItsWeights() throws Exception {
        Path workdir = dir.resolve("owned");
        try (Trainer t = trainer(workdir, config(3, 1e-3, 1), 0)) {
            t.train();
        }
        try (NDManager m = NDManager.newBaseManager(); Trainer t = trainer(workdir, config(3, 1e-3, 1), 0)) {
            var saved = Checkpoint.readIfPresent(workdir, m).group("model/");
            var dataRef = ai.djl.pytorch.engine.PtNDArray.class.getDeclaredField("dataRef");
            dataRef.setAccessible(true);
            for (var p : t.network().getParameters()) {
                var restored = p.getValue().getArray();
                assertArrayEquals(saved.get(p.getKey()).toFloatArray(), restored.toFloatArray(), p.getKey());
                assertEquals(null, dataRef.get(restored), p.getKey() + " lives in a Java buffer");
            }
        }
    }

    @Test
    void corruptAndMismatchedCheckpointsAreRefusedClearly() throws Exception {
        Path workdir = dir.resolve("run");
        try (Trainer t = trainer(workdir, config(2, 1e-3, 1), 0)) {
            t.train();
        }
        var shape = assertThrows(IllegalArgumentException.class, () -> new Trainer(PFGM, new TinyFieldNet(2, 8, 0),
                new Shape(2), BLOBS, config(2, 1e-3, 1), workdir, TINY, Device.cpu()));
        assertTrue(shape.getMessage().contains("does not fit"), shape.getMessage());
        byte[] bytes = Files.readAllBytes(Checkpoint.path(workdir));
        Files.write(Checkpoint.path(workdir), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        var corrupt = assertThrows(IllegalArgumentException.class, () -> trainer(workdir, config(2, 1e-3, 1), 0));
        assertTrue(corrupt.getMessage().contains("corrupt"), corrupt.getMessage());
    }

    @Test
    void warmUpRampsTheLearningRateLikeTheOfficialCode() throws Exception {
        TrainConfig c = new TrainConfig(64, 16, 2e-4, 0.9, 1e-8, 100, 1.0, 0.99, 0, 1, 1, 0, 1);
        try (Trainer t = trainer(dir, c, 0)) {
            assertEquals(0, t.learningRate(0));
            assertEquals(1e-4, t.learningRate(50), 1e-15);
            assertEquals(2e-4, t.learningRate(100), 1e-15);
            assertEquals(2e-4, t.learningRate(5000), 1e-15);
        }
    }

    /** A checkpoint says which code trained which steps; steps trained by other code start a segment of their own. */
    @Test
    void checkpointsRecordWhichCodeTrainedWhichSteps() throws Exception {
        Path workdir = dir.resolve("history");
        try (Trainer t = trainer(workdir, config(4, 1e-3, 2), 0)) {
            t.train();
        }
        CodeVersion here = CodeVersion.current();
        Checkpoint.Meta meta = Checkpoint.readMetaIfPresent(workdir);
        assertEquals(List.of(new Checkpoint.Segment(here.id(), here.sources(), 0, 4)), meta.trainedBy());
        assertEquals(here.id() + " 0-4", meta.history());
        assertTrue(!meta.trainedByOtherCode(here));
        try (NDManager manager = NDManager.newBaseManager()) {
            Checkpoint saved = Checkpoint.readIfPresent(workdir, manager);
            Checkpoint.Segment older = new Checkpoint.Segment("0123456789ab", "f".repeat(64), 0, 4);
            new Checkpoint(new Checkpoint.Meta(4, saved.meta().adamUpdates(), saved.meta().emaUpdates(), saved.meta().settings(),
                    List.of(older)), saved.arrays()).write(workdir);
        }
        try (Trainer t = trainer(workdir, config(6, 1e-3, 2), 0)) {
            assertTrue(t.history().trainedByOtherCode(here), "resumed from steps other code trained");
            t.train();
        }
        meta = Checkpoint.readMetaIfPresent(workdir);
        assertEquals("0123456789ab 0-4, " + here.id() + " 4-6", meta.history());
        assertTrue(meta.trainedByOtherCode(here));
    }
}
