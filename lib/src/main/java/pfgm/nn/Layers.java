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
 */
final class Layers {
    private Layers() {}

    static Conv2d conv3x3(int out, double scale) {
        return conv(out, 3, scale);
    }

    static Conv2d conv1x1(int out, double scale) {
        return conv(out, 1, scale);
    }

    private static Conv2d conv(int out, int kernel, double scale) {
        Conv2d conv = Conv2d.builder().setFilters(out).setKernelShape(new Shape(kernel, kernel))
                .optPadding(new Shape(kernel / 2, kernel / 2)).build();
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
}
