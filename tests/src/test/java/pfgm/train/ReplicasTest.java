package pfgm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data-parallel training on several replicas gives one device's run: DJL allows several replicas on
 * the CPU (separate copies of the parameters on one device), so the split, the weighted loss, the
 * sum of the gradients and the copying back are tested here without a GPU. Dropout is 0: its masks
 * are drawn per replica, so with dropout the runs would differ by design.
 */
class ReplicasTest {
    /**
     * Largest |difference| of any weight, EMA weight or Adam moment after 20 steps: float32 rounding,
     * the sums over rows and replicas being added in another order. Measured: 2.98e-8 (one unit of
     * float32 rounding at 0.25 to 0.5) for 2 and 3 replicas and for both resumptions; the test prints it.
     */
    static final double WEIGHT_TOLERANCE = 1e-6;
    /**
     * Relative difference of a step's loss or gradient norm, about 8 units of float32 rounding.
     * Measured: at most 1.2e-7. A replica's gradient left out of the sum made 5e-5 at step 2.
     */
    static final double LOSS_TOLERANCE = 1e-6;

    @TempDir
    Path dir;

    static List<Device> cpus(int replicas) {
        return Collections.nCopies(replicas, Device.cpu());
    }

    /** TrainerTest's tiny PFGM run (a network batch of 16 rows out of 64 charges), dropout 0. */
    static Trainer trainer(Path workdir, int steps, List<Device> devices) throws Exception {
        return new Trainer(TrainerTest.PFGM, new TinyFieldNet(2, 32, 0), new Shape(2), TrainerTest.BLOBS,
                TrainerTest.config(steps, 1e-3, 5), workdir, TrainerTest.TINY, devices);
    }

    record Trained(List<Double> losses, double[] gradNorms, Map<String, float[]> checkpoint) {}

    Trained train(String name, int steps, List<Device> devices) throws Exception {
        Path workdir = dir.resolve(name);
        try (Trainer t = trainer(workdir, steps, devices)) {
            List<Double> losses = Losses.ofTraining(t);
            return new Trained(losses, t.metrics().table().doubleColumn("grad_norm").asDoubleArray(), checkpoint(workdir));
        }
    }

    static Map<String, float[]> checkpoint(Path workdir) throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, float[]> out = new java.util.TreeMap<>();
            Checkpoint.readIfPresent(workdir, manager).arrays().forEach((k, a) -> out.put(k, a.toFloatArray()));
            return out;
        }
    }

    /** The largest |a - b| over every array of two checkpoints, which must hold the same arrays. */
    static double maxDifference(Map<String, float[]> a, Map<String, float[]> b) {
        assertEquals(a.keySet(), b.keySet(), "the same checkpoint format");
        double max = 0;
        for (String name : a.keySet()) {
            float[] x = a.get(name);
            float[] y = b.get(name);
            assertEquals(x.length, y.length, name);
            for (int i = 0; i < x.length; i++) {
                max = Math.max(max, Math.abs(x[i] - y[i]));
            }
        }
        return max;
    }

    static void assertClose(List<Double> expected, List<Double> actual, String what) {
        assertEquals(expected.size(), actual.size(), what);
        for (int i = 0; i < expected.size(); i++) {
            double e = expected.get(i);
            assertTrue(Math.abs(e - actual.get(i)) <= LOSS_TOLERANCE * Math.abs(e),
                    what + " at step " + (i + 1) + ": " + e + " vs " + actual.get(i));
        }
    }

    static List<Double> list(double[] values) {
        return java.util.Arrays.stream(values).boxed().toList();
    }

    /**
     * Two replicas (8 rows each) and three (5, 5 and 6: an uneven split, weighted by rows) end 20
     * steps with one device's losses, gradient norms, weights, EMA and Adam moments. A replica's
     * mean in place of its rows' sum over all rows would show in the uneven split's losses, and a
     * gradient summed without that weighting in the gradient norms (Adam itself hardly sees a
     * gradient's scale).
     */
    @Test
    void replicasOnTheCpuTrainAsOneDeviceOnTheWholeBatch() throws Exception {
        Trained one = train("one", 20, cpus(1));
        for (int replicas : new int[] {2, 3}) {
            Trained several = train("replicas-" + replicas, 20, cpus(replicas));
            assertClose(one.losses(), several.losses(), replicas + " replicas' loss");
            assertClose(list(one.gradNorms()), list(several.gradNorms()), replicas + " replicas' gradient norm");
            double difference = maxDifference(one.checkpoint(), several.checkpoint());
            System.out.printf("%d replicas against one device after 20 steps: max |difference| %.3g (weights, EMA, Adam)%n",
                    replicas, difference);
            assertTrue(difference <= WEIGHT_TOLERANCE, replicas + " replicas: max |difference| " + difference);
        }
    }

    /**
     * A checkpoint two replicas wrote resumes on one device, continuing the losses of a run that
     * was never interrupted, and the other way round: the checkpoint does not depend on the
     * device count.
     */
    @Test
    void aCheckpointResumesOnAnotherNumberOfDevices() throws Exception {
        Trained uninterrupted = train("whole", 20, cpus(1));
        for (int[] counts : new int[][] {{2, 1}, {1, 2}}) {
            Path workdir = dir.resolve("from-" + counts[0] + "-to-" + counts[1]);
            try (Trainer t = trainer(workdir, 10, cpus(counts[0]))) {
                t.train();
            }
            try (Trainer t = trainer(workdir, 20, cpus(counts[1]))) {
                assertEquals(10, t.step());
                assertClose(uninterrupted.losses().subList(10, 20), Losses.ofTraining(t),
                        counts[0] + " replicas resumed on " + counts[1]);
            }
            double difference = maxDifference(uninterrupted.checkpoint(), checkpoint(workdir));
            System.out.printf("%d replicas then %d against one device: max |difference| %.3g%n", counts[0], counts[1],
                    difference);
            assertTrue(difference <= WEIGHT_TOLERANCE, "max |difference| " + difference);
        }
    }

    @Test
    void moreReplicasThanRowsOrNoDeviceAreRefusedClearly() {
        var many = assertThrows(IllegalArgumentException.class, () -> trainer(dir.resolve("many"), 1, cpus(17)));
        assertTrue(many.getMessage().startsWith("17 devices") && many.getMessage().contains("has 16 rows")
                && many.getMessage().contains("smallBatchSize"), many.getMessage());
        var none = assertThrows(IllegalArgumentException.class, () -> trainer(dir.resolve("none"), 1, List.of()));
        assertTrue(none.getMessage().startsWith("no device to train on"), none.getMessage());
    }
}
