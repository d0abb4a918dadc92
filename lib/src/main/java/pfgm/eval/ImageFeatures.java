package pfgm.eval;

import ai.djl.ndarray.NDArray;

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
    record Batch(double[][] features, double[][] probabilities) {}

    /** A short name for tables, e.g. "inception" or "mnist-classifier". */
    String name();

    /**
     * Features and probabilities of a batch of images (b, C, H, W) with pixel values in [0, 255]
     * (float32), of any size and with 1 or 3 channels: each network resizes and converts as its
     * standard implementation does.
     */
    Batch apply(NDArray pixels);

    @Override
    void close();
}
