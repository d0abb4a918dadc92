package pfgm.eval;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import pfgm.data.Datasets;
import pfgm.data.ImageData;
import pfgm.data.Pixels;
import pfgm.data.Split;
import pfgm.io.AtomicFiles;
import pfgm.train.Adam;
import pfgm.util.Matrices;
import pfgm.util.Rng;

/**
 * A small CNN trained by the kit on MNIST or Fashion-MNIST (28 x 28, centred to [-1, 1]). The
 * standard FID Inception network cannot be had here; this classifier's 128-d penultimate layer
 * gives a FID for those data sets, and its predictions an Inception-style score and a class
 * histogram. Weights are cached under data/cache after the first training.
 */
public final class DigitClassifier implements ImageFeatures {
    public static final int FEATURES = 128;
    private static final int EPOCHS = 2;
    private static final int BATCH = 128;
    private final String dataset;
    private final NDManager manager;
    private final SequentialBlock features;
    private final SequentialBlock head;
    private final ParameterStore store;

    private DigitClassifier(String dataset, Device device) {
        this.dataset = dataset;
        manager = NDManager.newBaseManager(device);
        features = new SequentialBlock()
                .add(conv(16)).add(Activation.reluBlock()).add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(conv(32)).add(Activation.reluBlock()).add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(FEATURES).build()).add(Activation.reluBlock());
        head = new SequentialBlock().add(Dropout.builder().optRate(0.3f).build()).add(Linear.builder().setUnits(10).build());
        features.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 28, 28));
        head.initialize(manager, DataType.FLOAT32, new Shape(1, FEATURES));
        store = new ParameterStore(manager, false);
    }

    private static Conv2d conv(int filters) {
        return Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(filters).build();
    }

    /**
     * The cached classifier for "mnist" or "fashion", trained first (two epochs, a few minutes on two
     * cores) when the cache is empty. {@code log} receives progress lines.
     */
    public static DigitClassifier forDataset(String name, Path cacheDir, long seed, Consumer<String> log) throws IOException {
        if (!name.equals("mnist") && !name.equals("fashion")) {
            throw new IllegalArgumentException("the digit classifier knows mnist and fashion, not '" + name + "'");
        }
        Path weights = cacheDir.resolve("classifier-" + name + ".params");
        Engine.getInstance().setRandomSeed((int) seed);
        DigitClassifier classifier = new DigitClassifier(name, Device.cpu());
        if (Files.exists(weights)) {
            classifier.load(weights);
        } else {
            try (NDManager data = NDManager.newBaseManager(Device.cpu())) {
                classifier.train(Datasets.load(data, name, Split.TRAIN), seed, log);
            }
            AtomicFiles.write(weights, out -> {
                DataOutputStream stream = new DataOutputStream(out);
                classifier.features.saveParameters(stream);
                classifier.head.saveParameters(stream);
                stream.flush();
            });
        }
        return classifier;
    }

    private void load(Path weights) throws IOException {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(weights))) {
            features.loadParameters(manager, in);
            head.loadParameters(manager, in);
        } catch (MalformedModelException | IOException e) {
            throw new IllegalArgumentException("classifier weights " + weights + " are unreadable (" + e.getMessage()
                    + "); delete the file to retrain", e);
        }
    }

    private void train(ImageData data, long seed, Consumer<String> log) {
        Adam adam = new Adam(0.9, 1e-8);
        int steps = EPOCHS * data.size() / BATCH;
        Loss loss = Loss.softmaxCrossEntropyLoss();
        var parameters = new java.util.ArrayList<Pair<String, Parameter>>();
        features.getParameters().forEach(p -> parameters.add(new Pair<>("features/" + p.getKey(), p.getValue())));
        head.getParameters().forEach(p -> parameters.add(new Pair<>("head/" + p.getKey(), p.getValue())));
        for (int step = 0; step < steps; step++) {
            Rng rng = Rng.forStep(seed, step);
            try (NDScope scope = new NDScope()) {
                long[] indices = sampleIndices(data.size(), rng);
                NDArray index = manager.create(indices);
                NDArray x = Pixels.centre(data.images().get(index)).toDevice(manager.getDevice(), false);
                NDArray y = data.labels().get(index).toDevice(manager.getDevice(), false);
                double value;
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray logits = logits(x, true);
                    NDArray l = loss.evaluate(new NDList(y), new NDList(logits));
                    collector.backward(l);
                    value = l.getFloat();
                }
                pfgm.util.GradMode.off();
                adam.step(parameters, 1e-3, manager);
                pfgm.util.Weights.zeroGradients(parameters);
                if ((step + 1) % 100 == 0 || step == steps - 1) {
                    log.accept(String.format("classifier step %d/%d, loss %.4f", step + 1, steps, value));
                }
            }
        }
    }

    private static long[] sampleIndices(int n, Rng rng) {
        long[] out = new long[BATCH];
        for (int i = 0; i < BATCH; i++) {
            out[i] = (long) (rng.nextDouble() * n);
        }
        return out;
    }

    private NDArray logits(NDArray centred, boolean training) {
        NDArray f = features.forward(store, new NDList(centred), training).singletonOrThrow();
        return head.forward(store, new NDList(f), training).singletonOrThrow();
    }

    @Override
    public String name() {
        return dataset + "-classifier";
    }

    /**
     * Penultimate-layer features (b, 128) and class probabilities (b, 10). Images of another size
     * are resized to 28 x 28 (bilinear when enlarging, e.g. the 16 x 16 samples of mnist_small);
     * colour images are averaged to grey.
     */
    @Override
    public Batch apply(NDArray pixels) {
        NDArray grey = pixels.getShape().get(1) == 1 ? pixels : pixels.toType(DataType.FLOAT32, false).mean(new int[] {1}, true);
        NDArray sized = grey.getShape().get(2) == 28 && grey.getShape().get(3) == 28 ? grey : Pixels.resize(grey, 28, 28);
        NDArray x = Pixels.centre(sized).toDevice(manager.getDevice(), false);
        NDArray f = features.forward(store, new NDList(x), false).singletonOrThrow();
        NDArray p = head.forward(store, new NDList(f), false).singletonOrThrow().softmax(1);
        return new Batch(Matrices.rows(f), Matrices.rows(p));
    }

    /** Fraction of correctly classified images of a labelled set. */
    public double accuracy(ImageData data) {
        int[] predicted = FeatureSet.extract(this, data.images(), 500, done -> {}).predictedClasses();
        int[] labels = data.labels().toType(DataType.INT32, false).toIntArray();
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            correct += predicted[i] == labels[i] ? 1 : 0;
        }
        return (double) correct / labels.length;
    }

    @Override
    public void close() {
        manager.close();
    }
}
