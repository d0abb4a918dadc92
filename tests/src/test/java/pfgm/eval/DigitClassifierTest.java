package pfgm.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import pfgm.ManagedArrays;
import pfgm.data.Datasets;
import pfgm.data.ImageData;
import pfgm.data.Pixels;
import pfgm.data.Split;

/**
 * The committed classifiers' numbers, which are facts of the kit: the same on every machine, thread
 * count and instruction set, because the weights are committed and the features computed in
 * float64. Measured with the committed files (see docs/metrics.md).
 */
class DigitClassifierTest extends ManagedArrays {
    private static final Map<String, FeatureSet> TEST_FEATURES = new HashMap<>();

    /** The test split's features under the committed classifier, extracted once per data set. */
    private static FeatureSet testFeatures(String dataset) {
        return TEST_FEATURES.computeIfAbsent(dataset, name -> {
            try (DigitClassifier classifier = DigitClassifier.load(ClassifierWeights.committed(name), Device.cpu())) {
                return FeatureSet.extract(classifier, testSplit(name).images(), 500, done -> {});
            }
        });
    }

    private static ImageData testSplit(String dataset) {
        return Datasets.load(manager, dataset, Split.TEST);
    }

    private static double testAccuracy(String dataset) {
        int[] labels = testSplit(dataset).labels().toType(DataType.INT32, false).toIntArray();
        return testFeatures(dataset).accuracy(labels);
    }

    /** FID between test images 0-4,999 and 5,000-9,999. */
    private static double halvesFid(String dataset) {
        double[][] f = testFeatures(dataset).features();
        return Fid.distance(GaussianStats.of(Arrays.copyOfRange(f, 0, 5000)), GaussianStats.of(Arrays.copyOfRange(f, 5000, 10000)));
    }

    /** 9,832 of the 10,000 MNIST test digits (the kit's bar is 98%). */
    @Test
    void mnistClassifierKeepsItsTestAccuracy() {
        assertEquals(0.9832, testAccuracy("mnist"), 1e-12);
    }

    /** 8,833 of the 10,000 Fashion-MNIST test images (the kit's bar is 88%). */
    @Test
    void fashionClassifierKeepsItsTestAccuracy() {
        assertEquals(0.8833, testAccuracy("fashion"), 1e-12);
    }

    /**
     * 10.466675846304952, to 1e-6 absolute. The halves differ for a reason: MNIST's first 5,000 test
     * digits come from NIST's training set (Census Bureau employees), the last 5,000 from its test
     * set (students), which are harder to read.
     */
    @Test
    void halvesOfTheMnistTestSplitKeepTheirFid() {
        assertEquals(10.466675846304952, halvesFid("mnist"), 1e-6);
    }

    /** 0.349293908991683, to 1e-6 absolute: Fashion-MNIST's test halves come from one distribution. */
    @Test
    void halvesOfTheFashionTestSplitKeepTheirFid() {
        assertEquals(0.349293908991683, halvesFid("fashion"), 1e-6);
    }

    /**
     * The features and probabilities equal the network written out in Java doubles to 1e-12
     * relative, which float32 inference (about 1e-7) would miss: the FID above is computed in float64.
     */
    @Test
    void featuresAreTheFloat64ForwardPass() {
        NDArray images = testSplit("mnist").images().get("0:20");
        FeatureSet kit;
        double[][][] reference;
        try (DigitClassifier classifier = DigitClassifier.load(ClassifierWeights.committed("mnist"), Device.cpu());
                ClassifierNetwork weights = ClassifierNetwork.read(ClassifierWeights.committed("mnist").bytes(), "committed",
                        Device.cpu())) {
            kit = FeatureSet.extract(classifier, images, 7, done -> {});
            reference = new JavaForward(weights).apply(Pixels.centre(images).toFloatArray(), 20);
        }
        assertTrue(relativeError(kit.features(), reference[0]) < 1e-12, "features: " + relativeError(kit.features(), reference[0]));
        assertTrue(relativeError(kit.probabilities(), reference[1]) < 1e-12,
                "probabilities: " + relativeError(kit.probabilities(), reference[1]));
    }

    /** Largest absolute difference over the largest absolute value. */
    private static double relativeError(double[][] actual, double[][] expected) {
        double difference = 0;
        double scale = 0;
        for (int i = 0; i < expected.length; i++) {
            for (int k = 0; k < expected[i].length; k++) {
                difference = Math.max(difference, Math.abs(actual[i][k] - expected[i][k]));
                scale = Math.max(scale, Math.abs(expected[i][k]));
            }
        }
        return difference / scale;
    }

    /** Conv 3x3 (pad 1) + ReLU + 2x2 max pool, twice, flatten, linear + ReLU (the features), linear + softmax, in loops. */
    private static final class JavaForward {
        private final double[][] w = new double[8][];

        JavaForward(ClassifierNetwork network) {
            var parameters = network.parameters();
            List<Shape> shapes = parameters.stream().map(p -> p.getValue().getArray().getShape()).toList();
            assertEquals(List.of(new Shape(16, 1, 3, 3), new Shape(16), new Shape(32, 16, 3, 3), new Shape(32),
                    new Shape(128, 1568), new Shape(128), new Shape(10, 128), new Shape(10)), shapes,
                    "conv1, conv2, features, head: weights then bias");
            for (int i = 0; i < 8; i++) {
                w[i] = parameters.get(i).getValue().getArray().toType(DataType.FLOAT64, false).toDoubleArray();
            }
        }

        /** {features (n, 128), probabilities (n, 10)} of n centred 28 x 28 images. */
        double[][][] apply(float[] centred, int n) {
            double[][][] out = {new double[n][], new double[n][]};
            for (int i = 0; i < n; i++) {
                double[] x = new double[784];
                for (int p = 0; p < 784; p++) {
                    x[p] = centred[i * 784 + p];
                }
                double[] h = pool(relu(conv(x, 1, 28, w[0], w[1], 16)), 16, 28);
                h = pool(relu(conv(h, 16, 14, w[2], w[3], 32)), 32, 14);
                double[] features = relu(linear(h, w[4], w[5], 128));
                double[] logits = linear(features, w[6], w[7], 10);
                double max = Arrays.stream(logits).max().orElseThrow();
                double sum = Arrays.stream(logits).map(v -> Math.exp(v - max)).sum();
                out[0][i] = features;
                out[1][i] = Arrays.stream(logits).map(v -> Math.exp(v - max) / sum).toArray();
            }
            return out;
        }

        private static double[] conv(double[] x, int in, int size, double[] weight, double[] bias, int outChannels) {
            double[] y = new double[outChannels * size * size];
            for (int o = 0; o < outChannels; o++) {
                for (int r = 0; r < size; r++) {
                    for (int c = 0; c < size; c++) {
                        double s = bias[o];
                        for (int ch = 0; ch < in; ch++) {
                            for (int dr = -1; dr <= 1; dr++) {
                                for (int dc = -1; dc <= 1; dc++) {
                                    int rr = r + dr;
                                    int cc = c + dc;
                                    if (rr >= 0 && rr < size && cc >= 0 && cc < size) {
                                        s += weight[((o * in + ch) * 3 + dr + 1) * 3 + dc + 1] * x[(ch * size + rr) * size + cc];
                                    }
                                }
                            }
                        }
                        y[(o * size + r) * size + c] = s;
                    }
                }
            }
            return y;
        }

        private static double[] pool(double[] x, int channels, int size) {
            int half = size / 2;
            double[] y = new double[channels * half * half];
            for (int ch = 0; ch < channels; ch++) {
                for (int r = 0; r < half; r++) {
                    for (int c = 0; c < half; c++) {
                        int base = (ch * size + 2 * r) * size + 2 * c;
                        y[(ch * half + r) * half + c] = Math.max(Math.max(x[base], x[base + 1]),
                                Math.max(x[base + size], x[base + size + 1]));
                    }
                }
            }
            return y;
        }

        private static double[] linear(double[] x, double[] weight, double[] bias, int units) {
            double[] y = new double[units];
            for (int u = 0; u < units; u++) {
                double s = bias[u];
                for (int k = 0; k < x.length; k++) {
                    s += weight[u * x.length + k] * x[k];
                }
                y[u] = s;
            }
            return y;
        }

        private static double[] relu(double[] x) {
            return Arrays.stream(x).map(v -> Math.max(v, 0)).toArray();
        }
    }
}
