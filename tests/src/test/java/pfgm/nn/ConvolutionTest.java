package pfgm.nn;

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
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import pfgm.Allocator;
import pfgm.Float64Weights;
import pfgm.ManagedArrays;
import pfgm.util.Rng;

/**
 * The convolution every network uses, in float32 (PyTorch's oneDNN kernels) against the same
 * convolution in float64 (PyTorch's own kernels), forward and backward, after poisoning the
 * allocator with NaN: output, input gradient, weight and bias gradients. The output-channel
 * counts cover what the networks use (C + 1 = 2 and 4 at the output, multiples of nf elsewhere)
 * and counts off oneDNN's channel blocks of 8 and 16 (1, 17), where its input gradient read
 * unwritten memory on some machines.
 */
class ConvolutionTest extends ManagedArrays {

    static Stream<Arguments> shapes() {
        List<Arguments> out = new ArrayList<>();
        for (int outChannels : new int[] {1, 2, 4, 8, 16, 17, 32}) {
            for (int inChannels : new int[] {1, 3, 32}) {
                out.add(Arguments.of(inChannels, outChannels, 3, 1, 1, 16)); // the 3 x 3 of every block
                out.add(Arguments.of(inChannels, outChannels, 3, 2, 0, 9));  // stride-2 downsampling
                out.add(Arguments.of(inChannels, outChannels, 1, 1, 0, 8));  // skips and attention projections
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "in {0} out {1} kernel {2} stride {3} pad {4} size {5}")
    @MethodSource("shapes")
    void float32GradientsEqualFloat64Ones(int in, int outChannels, int kernel, int stride, int padding, int size) {
        Convolution conv = new Convolution(outChannels, kernel, stride, padding,
                new ai.djl.training.initializer.NormalInitializer(0.3f));
        Shape inputShape = new Shape(32, in, size, size);
        conv.initialize(manager, DataType.FLOAT32, inputShape);
        Parameter bias = conv.getParameters().get("bias");
        bias.getArray().set(new Rng(1).normal(manager, bias.getShape()).toFloatArray());
        Rng rng = new Rng(2);
        NDArray x = rng.normal(manager, inputShape);
        NDArray upstream = rng.normal(manager, conv.getOutputShapes(new Shape[] {inputShape})[0]);
        for (int repetition = 0; repetition < 2; repetition++) {
            Allocator.poison(manager);
            Gradients single = gradients(conv, new ParameterStore(manager, false), x, upstream);
            Float64Weights doubles = new Float64Weights(manager);
            Gradients reference = gradients(conv, doubles, x.toType(DataType.FLOAT64, true),
                    upstream.toType(DataType.FLOAT64, true));
            String where = "in " + in + " out " + outChannels + " kernel " + kernel + " stride " + stride + ", repetition "
                    + repetition + ": ";
            assertClose(reference.output, single.output, where + "output");
            assertClose(reference.input, single.input, where + "input gradient");
            assertClose(doubles.copyOf(conv.getParameters().get("weight")).getGradient(), single.weight, where + "weight gradient");
            assertClose(doubles.copyOf(bias).getGradient(), single.bias, where + "bias gradient");
        }
    }

    private record Gradients(NDArray output, NDArray input, NDArray weight, NDArray bias) {}

    /** Forward, then backward of sum(output * upstream); the parameter gradients are reset first. */
    private static Gradients gradients(Convolution conv, ParameterStore store, NDArray x, NDArray upstream) {
        NDArray input = x.duplicate();
        input.setRequiresGradient(true);
        pfgm.util.Weights.zeroGradients(conv.getParameters());
        NDArray output;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            output = conv.forward(store, new NDList(input), true).singletonOrThrow();
            collector.backward(output.mul(upstream).sum());
        }
        NDArray weight = conv.getParameters().get("weight").getArray();
        NDArray bias = conv.getParameters().get("bias").getArray();
        return new Gradients(output, input.getGradient(), weight.getGradient().duplicate(), bias.getGradient().duplicate());
    }

    /** max |got - want| <= 1e-4 max |want|, and every value finite. */
    static void assertClose(NDArray want, NDArray got, String what) {
        double[] w = want.toType(DataType.FLOAT64, false).toDoubleArray();
        double[] g = got.toType(DataType.FLOAT64, false).toDoubleArray();
        assertEquals(w.length, g.length, what);
        double scale = 0;
        double error = 0;
        for (int i = 0; i < w.length; i++) {
            assertTrue(Double.isFinite(g[i]), what + ": value " + i + " is " + g[i]);
            scale = Math.max(scale, Math.abs(w[i]));
            error = Math.max(error, Math.abs(g[i] - w[i]));
        }
        assertTrue(error <= 1e-4 * scale, what + ": max error " + error + " against max magnitude " + scale);
    }

    /** No network hands a convolution to DJL's Conv2d directly: every one pads its output channels. */
    @Test
    void everyConvolutionOfEveryNetworkIsTheBlockedOne() {
        for (NetworkConfig config : NetworksTest.smallNetworks()) {
            Block net = Networks.build(config, 1);
            net.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(config.sampleShape()), new Shape(1));
            assertNoDjlConvolution(net, config.toString());
        }
    }

    private static void assertNoDjlConvolution(Block block, String where) {
        assertTrue(!(block instanceof ai.djl.nn.convolutional.Convolution), () -> where + " uses DJL's convolution");
        block.getChildren().values().forEach(child -> assertNoDjlConvolution(child, where));
    }
}
