package pfgm.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import pfgm.Allocator;
import pfgm.Float64Weights;
import pfgm.ManagedArrays;
import pfgm.train.Adam;
import pfgm.util.Rng;
import pfgm.util.Weights;

class NetworksTest extends ManagedArrays {

    @BeforeAll
    static void open() {
        Engine.getInstance().setRandomSeed(3);
    }

    static ParameterStore store() {
        return new ParameterStore(manager, false);
    }

    /** Group norm written out per sample and group in doubles. */
    @Test
    void groupNormMatchesADirectComputation() {
        GroupNorm norm = new GroupNorm(2, 4, 1e-6f);
        norm.initialize(manager, DataType.FLOAT32, new Shape(2, 4, 3, 3));
        param(norm, "gamma").set(new float[] {1, 2, 3, 4});
        param(norm, "beta").set(new float[] {0, 1, 0, -1});
        NDArray x = new Rng(1).normal(manager, new Shape(2, 4, 3, 3)).mul(3f).add(1f);
        float[] got = norm.forward(store(), new NDList(x), false).singletonOrThrow().toFloatArray();
        float[] in = x.toFloatArray();
        float[] gamma = {1, 2, 3, 4};
        float[] beta = {0, 1, 0, -1};
        for (int b = 0; b < 2; b++) {
            for (int g = 0; g < 2; g++) {
                int start = b * 36 + g * 18; // two channels of 9 values per group
                double mean = 0;
                for (int i = 0; i < 18; i++) {
                    mean += in[start + i] / 18.0;
                }
                double var = 0;
                for (int i = 0; i < 18; i++) {
                    var += Math.pow(in[start + i] - mean, 2) / 18.0;
                }
                for (int i = 0; i < 18; i++) {
                    int channel = g * 2 + i / 9;
                    double expected = (in[start + i] - mean) / Math.sqrt(var + 1e-6) * gamma[channel] + beta[channel];
                    assertEquals(expected, got[start + i], 1e-4);
                }
            }
        }
    }

    /** Attention: softmax over positions of q.k / sqrt(C), written out with the block's own weights. */
    @Test
    void attentionMatchesADirectComputation() {
        Attention attention = new Attention(4, true);
        attention.initialize(manager, DataType.FLOAT32, new Shape(1, 4, 2, 2));
        NDArray out = param(attention, "out_weight");
        out.set(new Rng(2).normal(manager, out.getShape()).toFloatArray()); // make the output projection count
        NDArray x = new Rng(3).normal(manager, new Shape(1, 4, 2, 2));
        float[] got = attention.forward(store(), new NDList(x), false).singletonOrThrow().toFloatArray();
        // Direct: h = GroupNorm(x) (gamma 1, beta 0, one group of 4 channels), then 1x1 convolutions.
        double[][] h = normalizeOneGroup(x.toFloatArray(), 4, 4);
        double[][] q = project(attention, "q", h);
        double[][] k = project(attention, "k", h);
        double[][] v = project(attention, "v", h);
        double[][] attended = new double[4][4]; // [channel][position]
        for (int i = 0; i < 4; i++) {
            double[] logits = new double[4];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < 4; j++) {
                for (int c = 0; c < 4; c++) {
                    logits[j] += q[c][i] * k[c][j] / 2; // sqrt(C) = 2
                }
                max = Math.max(max, logits[j]);
            }
            double total = 0;
            for (int j = 0; j < 4; j++) {
                logits[j] = Math.exp(logits[j] - max);
                total += logits[j];
            }
            for (int c = 0; c < 4; c++) {
                for (int j = 0; j < 4; j++) {
                    attended[c][i] += logits[j] / total * v[c][j];
                }
            }
        }
        double[][] projected = project(attention, "out", attended);
        float[] in = x.toFloatArray();
        for (int c = 0; c < 4; c++) {
            for (int p = 0; p < 4; p++) {
                assertEquals((in[c * 4 + p] + projected[c][p]) / Math.sqrt(2), got[c * 4 + p], 1e-4);
            }
        }
    }

    private static double[][] normalizeOneGroup(float[] x, int channels, int positions) {
        double mean = 0;
        for (float v : x) {
            mean += v / x.length;
        }
        double var = 0;
        for (float v : x) {
            var += (v - mean) * (v - mean) / x.length;
        }
        double[][] h = new double[channels][positions];
        for (int c = 0; c < channels; c++) {
            for (int p = 0; p < positions; p++) {
                h[c][p] = (x[c * positions + p] - mean) / Math.sqrt(var + 1e-6);
            }
        }
        return h;
    }

    private static double[][] project(Attention block, String name, double[][] h) {
        float[] w = param(block, name + "_weight").toFloatArray();
        float[] b = param(block, name + "_bias").toFloatArray();
        int c = h.length;
        double[][] out = new double[c][h[0].length];
        for (int o = 0; o < c; o++) {
            for (int p = 0; p < h[0].length; p++) {
                out[o][p] = b[o];
                for (int i = 0; i < c; i++) {
                    out[o][p] += w[o * c + i] * h[i][p];
                }
            }
        }
        return out;
    }

    /** A parameter by the end of its name (DJL prefixes child names with their position). */
    static NDArray param(Block block, String suffix) {
        return block.getParameters().stream().filter(p -> p.getKey().endsWith(suffix)).findFirst().orElseThrow()
                .getValue().getArray();
    }

    @Test
    void sinusoidalEmbeddingIsDdpmsFormula() {
        float[] got = ZEmbedding.sinusoidal(manager.create(new float[] {0.5f, 7f}), 8).toFloatArray();
        for (int row = 0; row < 2; row++) {
            double t = row == 0 ? 0.5 : 7;
            for (int k = 0; k < 4; k++) {
                double frequency = Math.exp(-Math.log(10000) * k / 3);
                assertEquals(Math.sin(t * frequency), got[row * 8 + k], 1e-5);
                assertEquals(Math.cos(t * frequency), got[row * 8 + 4 + k], 1e-5);
            }
        }
    }

    @Test
    void fourierEmbeddingUsesItsFixedWeights() {
        ZEmbedding.Fourier fourier = new ZEmbedding.Fourier(3, 16);
        fourier.initialize(manager, DataType.FLOAT32, new Shape(2));
        float[] w = param(fourier, "W").toFloatArray();
        assertTrue(!fourier.getParameters().values().get(0).requiresGradient(), "the projection is not trained");
        float[] got = fourier.forward(store(), new NDList(manager.create(new float[] {0.25f, -1f})), false)
                .singletonOrThrow().toFloatArray();
        assertEquals(Math.sin(2 * Math.PI * 0.25 * w[1]), got[1], 1e-4);
        assertEquals(Math.cos(2 * Math.PI * -1 * w[2]), got[6 + 3 + 2], 1e-4);
    }

    static List<NetworkConfig> smallNetworks() {
        return List.of(
                NetworkConfig.mlp(2, 32, 2),
                new NetworkConfig(NetworkConfig.Kind.DDPMPP, 3, 8, 16, new int[] {1, 2}, 1, new int[] {4}, 0.1f,
                        NetworkConfig.Embedding.POSITIONAL, 16),
                new NetworkConfig(NetworkConfig.Kind.DDPMPP, 1, 8, 16, new int[] {1, 2}, 2, new int[] {8}, 0f,
                        NetworkConfig.Embedding.FOURIER, 16),
                new NetworkConfig(NetworkConfig.Kind.DDPM, 1, 8, 16, new int[] {1, 2}, 1, new int[] {4}, 0.1f,
                        NetworkConfig.Embedding.POSITIONAL, 16),
                // three levels: two pyramid convolutions, from the image's channels and between feature widths
                new NetworkConfig(NetworkConfig.Kind.NCSNPP, 3, 8, 16, new int[] {1, 2, 2}, 1, new int[] {4}, 0.1f,
                        NetworkConfig.Embedding.FOURIER, 16));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("smallNetworks")
    void everyNetworkReturnsTheFieldShapeInBothModes(NetworkConfig config) {
        Block net = Networks.build(config, 1);
        Shape sample = config.sampleShape();
        net.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(sample), new Shape(1));
        NDArray x = manager.randomNormal(new Shape(3).addAll(sample));
        NDArray z = manager.create(new float[] {0.01f, 1f, 40f});
        for (boolean training : new boolean[] {false, true}) {
            Shape out = net.forward(store(), new NDList(x, z), training).singletonOrThrow().getShape();
            assertEquals(new Shape(3, sample.size() + 1), out, config.kind() + " training=" + training);
        }
    }

    /**
     * Adam steps on a fixed batch drive the squared error down, and every trainable parameter moves:
     * gradients reach every block (NCSN++'s input pyramid included). A watchdog checks every
     * parameter and gradient for NaN or infinity after each step. A System.gc() between forward
     * and backward catches scalars that autograd reads after DJL freed them (pfgm.util.Scalars),
     * and the allocator is poisoned with NaN before every step, which catches kernels that read
     * memory they never wrote (the oneDNN convolution behind pfgm.nn.Convolution).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("smallNetworks")
    void gradientStepsLowerTheLossOfEveryNetwork(NetworkConfig config) {
        Block net = Networks.build(config, 1);
        Shape sample = config.sampleShape();
        net.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(sample), new Shape(1));
        List<Pair<String, Parameter>> params = trainable(net);
        List<float[]> initial = params.stream().map(p -> p.getValue().getArray().toFloatArray()).toList();
        Rng rng = new Rng(5);
        NDArray x = rng.normal(manager, new Shape(4).addAll(sample));
        NDArray z = rng.uniform(manager, new Shape(4), 0.1, 2);
        NDArray target = rng.normal(manager, new Shape(4, sample.size() + 1));
        Adam adam = new Adam(0.9, 1e-8);
        ParameterStore store = store();
        double first = 0;
        double last = 0;
        for (int step = 0; step < 40; step++) {
            Allocator.poison(manager);
            try (GradientCollector g = Engine.getInstance().newGradientCollector()) {
                NDArray loss = net.forward(store, new NDList(x, z), false).singletonOrThrow().sub(target).square().mean();
                System.gc();
                g.backward(loss);
                last = loss.getFloat();
                first = step == 0 ? last : first;
            }
            assertAllFinite(params, config + ", step " + step);
            adam.step(params, 1e-3, manager);
            Weights.zeroGradients(params);
        }
        assertTrue(last < 0.5 * first, config + ": loss " + first + " -> " + last);
        for (int i = 0; i < params.size(); i++) {
            assertTrue(!java.util.Arrays.equals(initial.get(i), params.get(i).getValue().getArray().toFloatArray()),
                    config + ": " + params.get(i).getKey() + " never moved");
        }
    }

    /** The watchdog: every weight and every gradient finite. */
    static void assertAllFinite(List<Pair<String, Parameter>> params, String where) {
        for (Pair<String, Parameter> p : params) {
            NDArray weight = p.getValue().getArray();
            assertTrue(weight.isInfinite().logicalOr(weight.isNaN()).none().getBoolean(), where + ": " + p.getKey() + " is not finite");
            NDArray grad = weight.getGradient();
            assertTrue(grad.isInfinite().logicalOr(grad.isNaN()).none().getBoolean(),
                    where + ": the gradient of " + p.getKey() + " is not finite");
        }
    }

    static List<Pair<String, Parameter>> trainable(Block net) {
        List<Pair<String, Parameter>> params = new ArrayList<>();
        net.getParameters().forEach(p -> {
            if (p.getValue().requiresGradient()) {
                params.add(p);
            }
        });
        return params;
    }

    /**
     * An initialized network with every weight moved by N(0, 0.05^2), so that the layers that start
     * at zero (output convolutions, attention outputs) pass gradients on and every layer counts.
     */
    static Block perturbedNetwork(NetworkConfig config) {
        Block net = Networks.build(config, 1);
        net.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(config.sampleShape()), new Shape(1));
        Rng rng = new Rng(11);
        for (Pair<String, Parameter> p : trainable(net)) {
            NDArray w = p.getValue().getArray();
            w.set(w.add(rng.normal(manager, w.getShape()).mul(0.05f)).toFloatArray());
        }
        return net;
    }

    /** Sum of the output times fixed random weights: every output coordinate matters. */
    static NDArray probe(Block net, ParameterStore store, NDArray x, NDArray z, NDArray upstream) {
        return net.forward(store, new NDList(x, z), false).singletonOrThrow().mul(upstream).sum();
    }

    /**
     * Every parameter's float32 gradient (oneDNN convolutions) equals its float64 gradient (the same
     * network and weights in double precision, which PyTorch computes without oneDNN) to 1e-3 of its
     * norm, after poisoning the allocator: wrong backward kernels show on any machine they run on.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("smallNetworks")
    void float32GradientsOfEveryNetworkEqualFloat64Ones(NetworkConfig config) {
        Block net = perturbedNetwork(config);
        List<Pair<String, Parameter>> params = trainable(net);
        Rng rng = new Rng(6);
        Shape batch = new Shape(8).addAll(config.sampleShape());
        NDArray x = rng.normal(manager, batch);
        NDArray z = rng.uniform(manager, new Shape(8), 0.05, 5);
        NDArray upstream = rng.normal(manager, new Shape(8, config.sampleShape().size() + 1));
        Float64Weights doubles = new Float64Weights(manager);
        try (GradientCollector g = Engine.getInstance().newGradientCollector()) {
            g.backward(probe(net, doubles, x.toType(DataType.FLOAT64, true), z.toType(DataType.FLOAT64, true),
                    upstream.toType(DataType.FLOAT64, true)));
        }
        double total = 0;
        for (Pair<String, Parameter> p : params) {
            total += doubles.copyOf(p.getValue()).getGradient().square().sum().getDouble();
        }
        double floor = 1e-6 * Math.sqrt(total); // float32 rounding of gradients that are 0 in exact arithmetic
        for (int repetition = 0; repetition < 3; repetition++) {
            Weights.zeroGradients(params);
            Allocator.poison(manager);
            try (GradientCollector g = Engine.getInstance().newGradientCollector()) {
                g.backward(probe(net, store(), x, z, upstream));
            }
            for (Pair<String, Parameter> p : params) {
                NDArray want = doubles.copyOf(p.getValue()).getGradient();
                NDArray got = p.getValue().getArray().getGradient().toType(DataType.FLOAT64, false);
                double error = got.sub(want).norm().getDouble();
                double norm = want.norm().getDouble();
                assertTrue(error <= 1e-3 * norm + floor, config + ", repetition " + repetition
                        + ": gradient of " + p.getKey() + " off by " + error + " (its norm " + norm + ")");
            }
        }
    }

    /**
     * The float64 network's autograd gradient against central finite differences along one random
     * direction in the weights of each top-level block: checks the backward graph itself (e.g. a
     * scalar freed before backward), independently of any kernel.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("smallNetworks")
    void float64GradientsEqualFiniteDifferences(NetworkConfig config) {
        Block net = perturbedNetwork(config);
        Rng rng = new Rng(7);
        Shape batch = new Shape(2).addAll(config.sampleShape());
        NDArray x = rng.normal(manager, batch).toType(DataType.FLOAT64, true);
        NDArray z = rng.uniform(manager, new Shape(2), 0.05, 5).toType(DataType.FLOAT64, true);
        NDArray upstream = rng.normal(manager, new Shape(2, config.sampleShape().size() + 1)).toType(DataType.FLOAT64, true);
        Float64Weights doubles = new Float64Weights(manager);
        try (GradientCollector g = Engine.getInstance().newGradientCollector()) {
            g.backward(probe(net, doubles, x, z, upstream));
        }
        java.util.Map<String, List<NDArray>> byBlock = new java.util.LinkedHashMap<>();
        for (Pair<String, Parameter> p : trainable(net)) {
            String block = p.getKey().contains("_") ? p.getKey().substring(0, p.getKey().indexOf('_')) : p.getKey();
            byBlock.computeIfAbsent(block, k -> new ArrayList<>()).add(doubles.copyOf(p.getValue()));
        }
        double h = 1e-6;
        byBlock.forEach((block, weights) -> {
            double analytic = 0;
            List<double[]> original = new ArrayList<>();
            List<double[]> step = new ArrayList<>();
            for (NDArray w : weights) {
                NDArray direction = rng.normal(manager, w.getShape()).toType(DataType.FLOAT64, true);
                analytic += w.getGradient().mul(direction).sum().getDouble();
                original.add(w.toDoubleArray());
                step.add(direction.mul(h).toDoubleArray());
            }
            double plus = probeMoved(net, doubles, x, z, upstream, weights, original, step, 1);
            double minus = probeMoved(net, doubles, x, z, upstream, weights, original, step, -1);
            for (int i = 0; i < weights.size(); i++) {
                weights.get(i).set(original.get(i));
            }
            double numeric = (plus - minus) / (2 * h);
            assertEquals(numeric, analytic, 1e-5 * Math.max(1, Math.abs(numeric)),
                    config + ": directional derivative along the weights of " + block);
        });
    }

    /** The probe with every weight moved by sign * step. */
    private static double probeMoved(Block net, ParameterStore store, NDArray x, NDArray z, NDArray upstream,
            List<NDArray> weights, List<double[]> original, List<double[]> step, int sign) {
        for (int i = 0; i < weights.size(); i++) {
            double[] from = original.get(i);
            double[] by = step.get(i);
            double[] moved = new double[from.length];
            java.util.Arrays.setAll(moved, k -> from[k] + sign * by[k]);
            weights.get(i).set(moved);
        }
        return probe(net, store, x, z, upstream).getDouble();
    }

    /**
     * Trainable parameters of the paper's CIFAR-10 networks, as the official ncsnpp.py's module
     * list adds them up (counted module by module; PFGM's extra output channel adds 1,153). The
     * score-SDE paper lists DDPM++ cont. at about 62M and NCSN++ cont. at about 63M. NCSN++ =
     * DDPM++ + 65,536 (the first dense layer takes the 2 nf = 256 Fourier features, not nf
     * sinusoids) + 888,832 (the input pyramid's fused FIR convolutions 3 -> 128: 3,584, 128 -> 256:
     * 295,168, 256 -> 256: 590,080). The fixed Fourier projection (128 values) is not trained, so
     * not counted here; torch's sum over parameters() includes it: 62,760,068.
     */
    @ParameterizedTest
    @MethodSource("officialSizes")
    void cifarNetworksHaveTheOfficialSize(NetworkConfig config, long official) {
        long count = Networks.parameterCount(config, 1);
        assertEquals(official, count);
        assertEquals(62.5e6, count, 0.02 * 62.5e6);
    }

    static Stream<Arguments> officialSizes() {
        return Stream.of(Arguments.of(NetworkConfig.cifar10Ddpmpp(), 61_805_572L),
                Arguments.of(NetworkConfig.cifar10Ncsnpp(), 62_759_940L));
    }

    @Test
    void deepDdpmppDiffersOnlyInDepth() {
        assertArrayEquals(new int[] {1, 2, 2, 2}, NetworkConfig.cifar10DdpmppDeep().chMult());
        assertEquals(8, NetworkConfig.cifar10DdpmppDeep().numResBlocks());
    }
}
