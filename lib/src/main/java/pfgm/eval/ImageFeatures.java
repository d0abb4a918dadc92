package pfgm.eval;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;

/**
 * A network that maps images to feature vectors (what FID, KID and precision/recall compare) and to
 * class probabilities (what the Inception score and class histograms use): the standard Inception
 * network from a TorchScript file, or the kit's digit classifier for MNIST and Fashion-MNIST.
 */
public interface ImageFeatures extends AutoCloseable {

    /**
     * Features (b, D) and class probabilities (b, K) of one batch, float64 values. {@code
     * probabilities} is null when the network gives no class scores (an Inception TorchScript
     * module that returns features only): FID, KID and precision/recall need only the features,
     * the Inception score and class histograms say that they need them.
     */
    record Batch(double[][] features, double[][] probabilities) {

        /**
         * Features and the softmax of float64 logits, computed here with StrictMath's exp, whose
         * results are the same on every CPU (PyTorch's vectorised exp depends on the instruction set).
         */
        public static Batch ofLogits(double[][] features, double[][] logits) {
            double[][] probabilities = new double[logits.length][];
            for (int i = 0; i < logits.length; i++) {
                double max = Arrays.stream(logits[i]).max().orElse(0);
                double[] p = Arrays.stream(logits[i]).map(v -> StrictMath.exp(v - max)).toArray();
                double sum = Arrays.stream(p).sum();
                probabilities[i] = Arrays.stream(p).map(v -> v / sum).toArray();
            }
            return new Batch(features, probabilities);
        }
    }

    /**
     * Which network this is: its name and the SHA-256 of its weights file. Result rows carry its
     * short form ({@link FeatureIdentity#toString}), e.g. "mnist-classifier@3f09c2d1a7b4".
     */
    FeatureIdentity identity();

    /** A short name for tables, e.g. "inception" or "mnist-classifier": the identity without its hash. */
    default String name() {
        return identity().name();
    }

    /**
     * Features and probabilities of a batch of images (b, C, H, W) with pixel values in [0, 255]
     * (float32), of any size and with 1 or 3 channels: each network resizes and converts as its
     * standard implementation does.
     */
    Batch apply(NDArray pixels);

    @Override
    void close();
}
