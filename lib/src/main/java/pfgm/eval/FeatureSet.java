package pfgm.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * The features and class probabilities of a set of images under one feature network, extracted
 * in batches: what every metric of this package reads.
 *
 * @param probabilities null when the network gives no class probabilities
 */
public record FeatureSet(double[][] features, double[][] probabilities) {

    /** Extracts in batches of 100 images. */
    public static FeatureSet extract(ImageFeatures network, NDArray pixels) {
        return extract(network, pixels, 100, done -> {});
    }

    /**
     * @param pixels (n, C, H, W) images with pixel values in [0, 255]
     * @param progress told the number of images done after each batch (for progress bars)
     */
    public static FeatureSet extract(ImageFeatures network, NDArray pixels, int batchSize, LongConsumer progress) {
        if (pixels.getShape().dimension() != 4) {
            throw new IllegalArgumentException("images must be (n, C, H, W), got " + pixels.getShape());
        }
        int n = Math.toIntExact(pixels.getShape().get(0));
        double[][] features = new double[n][];
        double[][] probabilities = new double[n][];
        boolean withProbabilities = true;
        for (int start = 0; start < n; start += batchSize) {
            int end = Math.min(n, start + batchSize);
            try (NDScope scope = new NDScope()) {
                ImageFeatures.Batch batch = network.apply(pixels.get(new NDIndex("{}:{}", start, end)));
                System.arraycopy(batch.features(), 0, features, start, end - start);
                withProbabilities &= batch.probabilities() != null;
                if (withProbabilities) {
                    System.arraycopy(batch.probabilities(), 0, probabilities, start, end - start);
                }
            }
            progress.accept(end);
        }
        return new FeatureSet(features, withProbabilities ? probabilities : null);
    }

    public int size() {
        return features.length;
    }

    /** The first n images' features (fewer samples, e.g. for FID against sample size). */
    public FeatureSet head(int n) {
        return new FeatureSet(Arrays.copyOf(features, n), probabilities == null ? null : Arrays.copyOf(probabilities, n));
    }

    /** The Gaussian fit FID compares. */
    public GaussianStats stats() {
        return GaussianStats.of(features);
    }

    /** Each image's most probable class. */
    public int[] predictedClasses() {
        if (probabilities == null) {
            throw new IllegalArgumentException("the feature network gives no class probabilities");
        }
        int[] classes = new int[size()];
        for (int i = 0; i < classes.length; i++) {
            double[] row = probabilities[i];
            for (int k = 1; k < row.length; k++) {
                classes[i] = row[k] > row[classes[i]] ? k : classes[i];
            }
        }
        return classes;
    }

    /** The share of images whose most probable class is their label. */
    public double accuracy(int[] labels) {
        if (labels.length != size()) {
            throw new IllegalArgumentException(labels.length + " labels for " + size() + " images");
        }
        int[] predicted = predictedClasses();
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            correct += predicted[i] == labels[i] ? 1 : 0;
        }
        return (double) correct / labels.length;
    }

    /** How many images the network assigns to each class. */
    public int[] classHistogram() {
        int[] classes = predictedClasses();
        int[] counts = new int[probabilities[0].length];
        for (int c : classes) {
            counts[c]++;
        }
        return counts;
    }
}
