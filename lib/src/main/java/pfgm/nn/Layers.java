package pfgm.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.initializer.XavierInitializer;
import pfgm.util.Scalars;

/**
 * Convolutions and dense layers initialized as the score-SDE code's default_init: variance
 * scaling with fan_avg and a uniform distribution (Xavier uniform), times {@code scale}; scale 0
 * becomes 1e-10, the official way of starting output layers at (almost) zero. Biases start at 0.
 * Also the parameter-free resampling of feature maps (b, C, H, W): naive (DDPM++) and FIR (NCSN++).
 */
final class Layers {
    private Layers() {}

    static Convolution conv3x3(int out, double scale) {
        return new Convolution(out, 3, 1, 1, init(scale));
    }

    static Convolution conv1x1(int out, double scale) {
        return new Convolution(out, 1, 1, 0, init(scale));
    }

    /**
     * 3 x 3, stride 2, no padding: DDPM's downsampling convolution (after one zero column and row on
     * the right and bottom) and NCSN++'s fused FIR downsampling (after {@link #firBlur}).
     */
    static Convolution conv3x3Stride2(int out, double scale) {
        return new Convolution(out, 3, 2, 0, init(scale));
    }

    static Linear dense(int out, double scale) {
        Linear linear = Linear.builder().setUnits(out).build();
        linear.setInitializer(init(scale), Parameter.Type.WEIGHT);
        return linear;
    }

    /** Xavier uniform has limit sqrt(magnitude / fan_avg); variance scaling with scale s has sqrt(3 s / fan_avg). */
    private static XavierInitializer init(double scale) {
        double s = scale == 0 ? 1e-10 : scale;
        return new XavierInitializer(XavierInitializer.RandomType.UNIFORM, XavierInitializer.FactorType.AVG, (float) (3 * s));
    }

    /** swish / SiLU, the official nonlinearity. */
    static NDArray silu(NDArray x) {
        // DJL has no SiLU, and its swish multiplies by a Java number
        return pfgm.util.TorchOps.enabled ? pfgm.util.TorchOps.silu(x) : x.mul(ai.djl.nn.Activation.sigmoid(x));
    }

    /**
     * Nearest-neighbour upsampling by 2 (naive_upsample_2d; F.interpolate 'nearest' in DDPM's
     * Upsample): PyTorch's upsample_nearest2d, whose backward is one kernel. (Broadcasting against a
     * (1, 1, 1, 2, 1, 2) array of ones gives the same values, but its backward is a reduction over
     * two strided axes that took about as long as a convolution.)
     */
    static NDArray upsample(NDArray x) {
        Shape s = x.getShape();
        return JniUtils.interpolate((PtNDArray) x, new long[] {2 * s.get(2), 2 * s.get(3)}, 0, false);
    }

    /** 2 x 2 average pooling (naive_downsample_2d; F.avg_pool2d(x, 2, stride=2)). */
    static NDArray downsample(NDArray x) {
        return Pool.avgPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false, true);
    }

    /**
     * The official fir_kernel [1, 3, 3, 1] of every NCSN++ config, normalized: upfirdn2d filters
     * with outer(k, k) / sum(k)^2, which is this 1-D filter along the rows, then along the columns.
     * Applied as shifted slices rather than a convolution: no oneDNN, exact in any precision.
     */
    private static final double[] FIR = {1 / 8.0, 3 / 8.0, 3 / 8.0, 1 / 8.0};
    private static final int ROWS = 2;
    private static final int COLUMNS = 3;

    /**
     * upsample_2d with factor 2: upfirdn2d(x, 4 k, up 2, pad (2, 1)). Along one axis the zero-stuffed
     * input meets the taps 2 k = [1, 3, 3, 1] / 4 in two phases: output 2m is (x[m-1] + 3 x[m]) / 4,
     * output 2m + 1 is (3 x[m] + x[m+1]) / 4, with zeros outside the image.
     */
    static NDArray firUpsample(NDArray x) {
        return upsampleAlong(upsampleAlong(x, ROWS), COLUMNS);
    }

    private static NDArray upsampleAlong(NDArray x, int axis) {
        NDArray even = filterAlong(x, axis, new double[] {1 / 4.0, 3 / 4.0}, 1, 0, 1);
        NDArray odd = filterAlong(x, axis, new double[] {3 / 4.0, 1 / 4.0}, 0, 1, 1);
        Shape s = x.getShape();
        Shape doubled = axis == ROWS ? new Shape(s.get(0), s.get(1), 2 * s.get(2), s.get(3))
                : new Shape(s.get(0), s.get(1), s.get(2), 2 * s.get(3));
        return even.stack(odd, axis + 1).reshape(doubled);
    }

    /** downsample_2d with factor 2: upfirdn2d(x, k, down 2, pad (1, 1)). */
    static NDArray firDownsample(NDArray x) {
        return filterAlong(filterAlong(x, ROWS, FIR, 1, 1, 2), COLUMNS, FIR, 1, 1, 2);
    }

    /**
     * The filtering half of conv_downsample_2d (3 x 3 conv, factor 2): upfirdn2d(x, k, pad (2, 2)),
     * (H, W) to (H + 1, W + 1); a stride-2 3 x 3 convolution without padding then gives (H/2, W/2).
     */
    static NDArray firBlur(NDArray x) {
        return filterAlong(filterAlong(x, ROWS, FIR, 2, 2, 1), COLUMNS, FIR, 2, 2, 1);
    }

    /**
     * out[i] = sum_k taps[k] x'[stride i + k] along one axis of (b, C, H, W), where x' is x with
     * {@code before} and {@code after} zeros added on that axis.
     */
    private static NDArray filterAlong(NDArray x, int axis, double[] taps, int before, int after, int stride) {
        NDArray padded = x.pad(axis == COLUMNS ? new Shape(before, after) : new Shape(0, 0, before, after), 0);
        long length = padded.getShape().get(axis);
        long out = (length - taps.length) / stride + 1;
        String prefix = axis == COLUMNS ? ":, :, :, " : ":, :, ";
        NDArray sum = null;
        for (int k = 0; k < taps.length; k++) {
            NDArray term = Scalars.times(padded.get(new NDIndex(prefix + "{}:{}:{}", k, k + stride * (out - 1) + 1, stride)), taps[k]);
            sum = sum == null ? term : sum.add(term);
        }
        return sum;
    }
}
