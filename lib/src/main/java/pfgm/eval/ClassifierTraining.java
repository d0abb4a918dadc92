package pfgm.eval;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import java.util.function.Consumer;
import pfgm.data.ImageData;
import pfgm.data.Pixels;
import pfgm.train.Adam;
import pfgm.util.GradMode;
import pfgm.util.Rng;

/**
 * How the committed classifiers were made: two epochs of Adam (learning rate 1e-3) on batches of 128
 * training images drawn with replacement, from weights drawn by the PyTorch generator seeded with
 * the seed, in float32. Seed 0 made the committed files. On one machine and thread count it gives
 * the same bytes again; another CPU rounds float32 differently and gives other weights of about the
 * same accuracy, which is why the kit commits the file instead of training it on each machine.
 */
public final class ClassifierTraining {
    /** The seed of the committed files. */
    public static final long SEED = 0;
    private static final int EPOCHS = 2;
    private static final int BATCH = 128;
    private static final double LEARNING_RATE = 1e-3;

    private ClassifierTraining() {}

    /** The committed files' number of steps: two epochs of {@code trainingImages}. */
    public static int steps(int trainingImages) {
        return EPOCHS * trainingImages / BATCH;
    }

    /**
     * Trains a classifier on {@code device} on a labelled set for {@code steps} steps and returns its
     * weights file's bytes (what {@link ClassifierWeights#file} reads). {@code log} receives a loss
     * line every 100 steps. The committed files were trained on the CPU: a GPU draws other initial
     * weights from the same seed and rounds differently, so it writes other bytes.
     */
    public static byte[] train(ImageData data, long seed, int steps, Device device, Consumer<String> log) {
        if (steps < 1) {
            throw new IllegalArgumentException("training needs at least 1 step, got " + steps);
        }
        Engine.getInstance().setRandomSeed((int) seed); // the initial weights and the dropout masks
        try (ClassifierNetwork network = new ClassifierNetwork(device)) {
            ParameterStore float32 = new ParameterStore(network.manager(), false);
            var parameters = network.parameters();
            Adam adam = new Adam(0.9, 1e-8);
            Loss loss = Loss.softmaxCrossEntropyLoss();
            for (int step = 0; step < steps; step++) {
                try (NDScope scope = new NDScope()) {
                    // Each step's batch depends only on (seed, step), as the kit's training runs do.
                    // The batch is taken where the data set is, then moved to the network.
                    NDArray index = data.images().getManager().create(batchIndices(data.size(), Rng.forStep(seed, step)));
                    NDArray x = Pixels.centre(data.images().get(index)).toDevice(device, false);
                    NDArray y = data.labels().get(index).toDevice(device, false);
                    double value;
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        NDArray logits = network.logits(float32, network.features(float32, x, true), true);
                        NDArray l = loss.evaluate(new NDList(y), new NDList(logits));
                        collector.backward(l);
                        value = l.getFloat();
                    }
                    GradMode.off(); // the collector restores grad mode; the update must not be recorded
                    adam.step(parameters, LEARNING_RATE, network.manager()); // also zeroes the gradients
                    if ((step + 1) % 100 == 0 || step == steps - 1) {
                        log.accept(String.format("classifier step %d/%d, loss %.4f", step + 1, steps, value));
                    }
                }
            }
            return network.bytes();
        }
    }

    private static long[] batchIndices(int n, Rng rng) {
        long[] out = new long[BATCH];
        for (int i = 0; i < BATCH; i++) {
            out[i] = (long) (rng.nextDouble() * n);
        }
        return out;
    }
}
