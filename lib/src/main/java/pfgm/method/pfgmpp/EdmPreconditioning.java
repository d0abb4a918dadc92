package pfgm.method.pfgmpp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import pfgm.nn.Network;
import pfgm.nn.NetworkConfig;

/**
 * EDM's preconditioning (training/networks.py, EDMPrecond), as PFGM++ uses it for every D: the
 * model is the denoiser D(x, sigma) = c_skip x + c_out F(c_in x, c_noise) of the network F, with
 * c_skip = s^2 / (sigma^2 + s^2), c_out = sigma s / sqrt(sigma^2 + s^2), c_in = 1 / sqrt(sigma^2 + s^2),
 * c_noise = ln(sigma) / 4, s = sigma_data. The model's label is sigma itself, one per row, as a
 * float64 array (the coefficients are computed from it in float64, as from EDM's float64 sigma).
 *
 * @param network F
 * @param sigmaData s, the data's standard deviation the scaling assumes (0.5)
 * @param label how F takes c_noise
 */
public record EdmPreconditioning(Network network, double sigmaData, Label label) implements Network {
    /** The value a network gets as its label for noise level sigma. */
    public enum Label {
        /** c_noise = ln(sigma) / 4, for networks that embed the label itself (sinusoidal). */
        C_NOISE,
        /** exp(c_noise) = sigma^(1/4), for networks that embed log(label) (Fourier, MLP): they embed c_noise. */
        EXP_C_NOISE;

        /** The label a network built from {@code network} needs. */
        public static Label of(NetworkConfig network) {
            return network.embedsLogOfLabel() ? EXP_C_NOISE : C_NOISE;
        }

        public double of(double sigma) {
            return this == C_NOISE ? Math.log(sigma) / 4 : Math.pow(sigma, 0.25);
        }

        public double sigma(double label) {
            return this == C_NOISE ? Math.exp(4 * label) : Math.pow(label, 4);
        }
    }

    public static double cSkip(double sigma, double sigmaData) {
        double s2 = sigmaData * sigmaData;
        return s2 / (sigma * sigma + s2);
    }

    public static double cOut(double sigma, double sigmaData) {
        return sigma * sigmaData / Math.sqrt(sigma * sigma + sigmaData * sigmaData);
    }

    public static double cIn(double sigma, double sigmaData) {
        return 1 / Math.sqrt(sigma * sigma + sigmaData * sigmaData);
    }

    public static double cNoise(double sigma) {
        return Math.log(sigma) / 4;
    }

    /** D(x, sigma) per row; {@code sigma} (n) holds each row's noise level. */
    @Override
    public NDArray apply(NDArray x, NDArray sigma) {
        double[] levels = sigma.toType(DataType.FLOAT64, false).toDoubleArray();
        double[] in = new double[levels.length];
        double[] skip = new double[levels.length];
        double[] out = new double[levels.length];
        double[] labels = new double[levels.length];
        for (int i = 0; i < levels.length; i++) {
            in[i] = cIn(levels[i], sigmaData);
            skip[i] = cSkip(levels[i], sigmaData);
            out[i] = cOut(levels[i], sigmaData);
            labels[i] = label.of(levels[i]);
        }
        NDArray f = network.apply(x.mul(column(x, in)), column(x, labels).reshape(-1));
        if (!f.getShape().equals(x.getShape())) {
            throw new IllegalArgumentException("PFGM++ needs a network that returns (n, N) = " + x.getShape() + ", got "
                    + f.getShape() + " (a network built for another method?)");
        }
        return x.mul(column(x, skip)).add(f.mul(column(f, out)));
    }

    /**
     * values as an (n, 1) column of like's type and device, copied into the engine's own memory
     * (an array backed by Java memory may be freed while autograd still needs it; see Scalars).
     */
    static NDArray column(NDArray like, double[] values) {
        return column(like.getManager(), values, like.getDataType());
    }

    static NDArray column(NDManager manager, double[] values, DataType type) {
        return manager.create(values).reshape(values.length, 1).toType(type, true);
    }
}
