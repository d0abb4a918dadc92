package pfgm.eval;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.IdentityHashMap;
import java.util.Map;
import pfgm.data.Pixels;
import pfgm.util.GradMode;
import pfgm.util.Matrices;

/**
 * The kit's feature network for MNIST and Fashion-MNIST: a small CNN ({@link ClassifierNetwork})
 * with versioned weights ({@link ClassifierWeights}) whose 128-d penultimate layer gives FID, KID
 * and precision/recall, and whose predictions give an Inception-style score and class histograms.
 *
 * <p>It computes in float64, from the float32 weights. In float32 the features depend on the
 * kernels oneDNN picks for the instruction set (SSE4.1 instead of AVX2 changed 17% of the MNIST
 * test split's feature values, by up to 4e-6, and the FID of its two halves by 2e-7); in float64
 * they had the same bits under every instruction set and thread count tried, at about 3 times the
 * cost, so the same weights give the same numbers on every CPU (docs/metrics.md). On a GPU the
 * same float64 network runs on the GPU; its kernels sum in another order, so features there can
 * differ from the CPU's at rounding.
 */
public final class DigitClassifier implements ImageFeatures {
    private final ClassifierNetwork network;
    private final ParameterStore float64;
    private final FeatureIdentity identity;

    private DigitClassifier(ClassifierNetwork network, FeatureIdentity identity) {
        this.network = network;
        this.identity = identity;
        this.float64 = new Float64Weights(network);
    }

    /** The classifier with these weights, computing on {@code device}. */
    public static DigitClassifier load(ClassifierWeights weights, Device device) {
        return new DigitClassifier(ClassifierNetwork.read(weights.bytes(), weights.identity().toString(), device),
                weights.identity());
    }

    @Override
    public FeatureIdentity identity() {
        return identity;
    }

    /**
     * Penultimate-layer features (b, 128) and class probabilities (b, 10). Images of another size
     * are resized to 28 x 28 (bilinear when enlarging, e.g. the 16 x 16 samples of mnist_small);
     * colour images are averaged to grey. The images may be on any device: they are prepared there
     * and move to the network's device as its input.
     */
    @Override
    public Batch apply(NDArray pixels) {
        GradMode.off();
        try (NDScope scope = new NDScope()) {
            NDArray grey = pixels.getShape().get(1) == 1 ? pixels : pixels.toType(DataType.FLOAT32, false).mean(new int[] {1}, true);
            int size = ClassifierNetwork.SIZE;
            NDArray sized = grey.getShape().get(2) == size && grey.getShape().get(3) == size ? grey : Pixels.resize(grey, size, size);
            NDArray x = Pixels.centre(sized).toType(DataType.FLOAT64, false).toDevice(network.manager().getDevice(), false);
            NDArray f = network.features(float64, x, false);
            return Batch.ofLogits(Matrices.rows(f), Matrices.rows(network.logits(float64, f, false)));
        }
    }

    @Override
    public void close() {
        network.close();
    }

    /** Float64 copies of the network's float32 weights, made once, in place of the weights in a forward pass. */
    private static final class Float64Weights extends ParameterStore {
        private final Map<Parameter, NDArray> copies = new IdentityHashMap<>();

        Float64Weights(ClassifierNetwork network) {
            super(network.manager(), false);
            GradMode.off(); // copies of weights that require gradients would otherwise record the cast
            for (var entry : network.parameters()) {
                NDArray copy = entry.getValue().getArray().toType(DataType.FLOAT64, true);
                NDScope.unregister(copy); // they live as long as the network, not a caller's scope
                copies.put(entry.getValue(), copy);
            }
        }

        @Override
        public NDArray getValue(Parameter parameter, Device device, boolean training) {
            return copies.get(parameter);
        }
    }
}
