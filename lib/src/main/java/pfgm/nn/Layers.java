package pfgm.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.XavierInitializer;

/**
 * Convolutions and dense layers initialized as the score-SDE code's default_init: variance
 * scaling with fan_avg and a uniform distribution (Xavier uniform), times {@code scale}; scale 0
 * becomes 1e-10, the official way of starting output layers at (almost) zero. Biases start at 0.
 * Also the parameter-free resampling of feature maps (b, C, H, W): naive (DDPM++) and FIR (NCSN++).
 */
final class Layers {
    private Layers() {}

    static Conv2d conv3x3(int out, double scale) {
        return conv(out, 3, scale);
    }

    static Conv2d conv1x1(int out, double scale) {
        return conv(out, 1, scale);
    }

    /** 3 x 3, stride 2, no padding: the convolution of the fused FIR downsampling (after {@link #firBlur}). */
    static Conv2d conv3x3Stride2(int out, double scale) {
        return conv(out, 3, 2, 0, scale);
    }

    private static Conv2d conv(int out, int kernel, double scale) {
        return conv(out, kernel, 1, kernel / 2, scale);
    }

    private static Conv2d conv(int out, int kernel, int stride, int padding, double scale) {
        Conv2d conv = Conv2d.builder().setFilters(out).setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride)).optPadding(new Shape(padding, padding)).build();
        conv.setInitializer(init(scale), Parameter.Type.WEIGHT);
        return conv;
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
        return x.mul(ai.djl.nn.Activation.sigmoid(x)); // DJL's swish multiplies by a Java number
    }

    /** Nearest-neighbour upsampling by 2 (naive_upsample_2d). */
    static NDArray upsample(NDArray x) {
        Shape s = x.getShape();
        NDArray twice = x.reshape(s.get(0), s.get(1), s.get(2), 1, s.get(3), 1)
                .mul(x.getManager().ones(new Shape(1, 1, 1, 2, 1, 2), x.getDataType()));
        return twice.reshape(s.get(0), s.get(1), 2 * s.get(2), 2 * s.get(3));
    }

    /** 2 x 2 average pooling (naive_downsample_2d). */
    static NDArray downsample(NDArray x) {
        Shape s = x.getShape();
        return x.reshape(s.get(0), s.get(1), s.get(2) / 2, 2, s.get(3) / 2, 2).mean(new int[] {5}).mean(new int[] {3});
    }

    /** The official fir_kernel of every NCSN++ config; upfirdn2d uses outer(k, k) / sum(k)^2. */
    private static final double[] FIR_TAPS = {1, 3, 3, 1};

    /**
     * upsample_2d with factor 2: upfirdn2d(x, 4 k, up 2, pad (2, 1)), i.e. a zero after every
     * pixel in both directions, then the filter (gain 4 keeps a constant constant). (DJL's PyTorch
     * engine has no transposed convolution, which would fuse the two.)
     */
    static NDArray firUpsample(NDArray x) {
        Shape s = x.getShape();
        long h = s.get(2);
        long w = s.get(3);
        NDArray planes = x.reshape(-1, 1, h, w);
        NDArray rows = planes.stack(planes.zerosLike(), 3).reshape(-1, 1, 2 * h, w);
        NDArray spread = rows.stack(rows.zerosLike(), 4).reshape(-1, 1, 2 * h, 2 * w).pad(new Shape(2, 1, 2, 1), 0);
        NDArray up = Conv2d.conv2d(spread, firKernel(x, 4), null, new Shape(1, 1), new Shape(0, 0)).head();
        return up.reshape(s.get(0), s.get(1), 2 * h, 2 * w);
    }

    /** downsample_2d with factor 2: upfirdn2d(x, k, down 2, pad (1, 1)). */
    static NDArray firDownsample(NDArray x) {
        return firFilter(x, 2, 1);
    }

    /**
     * The filtering half of conv_downsample_2d (3 x 3 conv, factor 2): upfirdn2d(x, k, pad (2, 2)),
     * (H, W) to (H + 1, W + 1); a stride-2 3 x 3 convolution without padding then gives (H/2, W/2).
     */
    static NDArray firBlur(NDArray x) {
        return firFilter(x, 1, 2);
    }

    /** Each channel separately, zeros outside the image: (b, C, H, W) as (b C, 1, H, W) planes. */
    private static NDArray firFilter(NDArray x, int stride, int padding) {
        Shape s = x.getShape();
        NDArray planes = x.reshape(-1, 1, s.get(2), s.get(3));
        NDArray out = Conv2d.conv2d(planes, firKernel(x, 1), null, new Shape(stride, stride), new Shape(padding, padding)).head();
        return out.reshape(s.get(0), s.get(1), out.getShape().get(2), out.getShape().get(3));
    }

    /**
     * gain * outer(k, k) / sum(k)^2 as a (1, 1, 4, 4) weight. It is symmetric, so PyTorch's
     * correlation equals upfirdn2d's convolution. Copied into PyTorch's memory (as
     * pfgm.util.Scalars does) because the backward pass of the convolution reads it.
     */
    private static NDArray firKernel(NDArray like, double gain) {
        int k = FIR_TAPS.length;
        double total = 0;
        for (double t : FIR_TAPS) {
            total += t;
        }
        double[] kernel = new double[k * k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                kernel[i * k + j] = gain * FIR_TAPS[i] * FIR_TAPS[j] / (total * total);
            }
        }
        return like.getManager().create(kernel, new Shape(1, 1, k, k)).toType(like.getDataType(), true);
    }
}
