package pfgm.method.pfgmpp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import pfgm.Arrays2;
import pfgm.config.Presets;
import pfgm.nn.Network;
import pfgm.nn.NetworkConfig;
import pfgm.util.Rng;

/** EDM's preconditioning (training/networks.py, EDMPrecond) and loss weight (training/loss.py, EDMLoss). */
class PfgmppPreconditioningTest {

    /** EDM's formulas, written out from EDMPrecond.forward and EDMLoss, for s = sigma_data. */
    private static double[] edm(double sigma, double s) {
        double cSkip = s * s / (sigma * sigma + s * s);
        double cOut = sigma * s / Math.sqrt(sigma * sigma + s * s);
        double cIn = 1 / Math.sqrt(s * s + sigma * sigma);
        double cNoise = Math.log(sigma) / 4;
        double weight = (sigma * sigma + s * s) / Math.pow(sigma * s, 2);
        return new double[] {cSkip, cOut, cIn, cNoise, weight};
    }

    private static double[] ours(double sigma, double s) {
        return new double[] {EdmPreconditioning.cSkip(sigma, s), EdmPreconditioning.cOut(sigma, s),
            EdmPreconditioning.cIn(sigma, s), EdmPreconditioning.cNoise(sigma), EdmLoss.weight(sigma, s)};
    }

    @Test
    void coefficientsAreEdms() {
        // sigma = sigma_data = 0.5, by hand: c_skip 1/2, c_out 0.25 / sqrt(0.5), c_in sqrt 2, c_noise ln(0.5) / 4, weight 8.
        assertArrayEquals(new double[] {0.5, 0.35355339059327373, 1.4142135623730951, -0.17328679513998632, 8},
                ours(0.5, 0.5), 1e-15);
        for (double sigmaData : new double[] {0.5, 2}) {
            for (double sigma : new double[] {0.002, 0.01, 0.3, 1, 7, 80}) {
                double[] c = ours(sigma, sigmaData);
                assertArrayEquals(edm(sigma, sigmaData), c, 1e-12 * edm(sigma, sigmaData)[4], "sigma " + sigma);
                // The properties EDM chose them for: unit-variance input and unit effective weight.
                assertEquals(1, c[2] * c[2] * (sigma * sigma + sigmaData * sigmaData), 1e-12);
                assertEquals(1, c[4] * c[1] * c[1], 1e-12);
            }
        }
    }

    /**
     * The denoiser calls the network on c_in x with the label of sigma and returns c_skip x +
     * c_out F; a network embedding log(label) gets sigma^(1/4), so it embeds c_noise as well.
     */
    @Test
    void theDenoiserPreconditionsTheNetwork() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = new Rng(1).normal(manager, new Shape(3, 4)).toType(DataType.FLOAT64, false);
            NDArray f = new Rng(2).normal(manager, new Shape(3, 4)).toType(DataType.FLOAT64, false);
            double[] sigma = {0.01, 0.5, 40};
            for (EdmPreconditioning.Label label : EdmPreconditioning.Label.values()) {
                Pfgmpp m = new Pfgmpp(PfgmppConfig.edm(64), label);
                NDArray[] seen = new NDArray[2];
                Network network = (input, labels) -> {
                    seen[0] = input;
                    seen[1] = labels;
                    return f;
                };
                double[][] d = Arrays2.rows(m.model(network).apply(x, manager.create(sigma)));
                double[][] xs = Arrays2.rows(x);
                double[][] fs = Arrays2.rows(f);
                double[][] in = Arrays2.rows(seen[0]);
                double[] labels = seen[1].toDoubleArray();
                for (int i = 0; i < 3; i++) {
                    double[] c = edm(sigma[i], 0.5);
                    double embedded = label == EdmPreconditioning.Label.C_NOISE ? labels[i] : Math.log(labels[i]);
                    assertEquals(c[3], embedded, 1e-12, label + " embeds c_noise");
                    for (int k = 0; k < 4; k++) {
                        assertEquals(c[2] * xs[i][k], in[i][k], 1e-12);
                        assertEquals(c[0] * xs[i][k] + c[1] * fs[i][k], d[i][k], 1e-12);
                    }
                }
            }
        }
    }

    /** The labels of the kit's networks: positional (DDPM, DDPM++) get c_noise, Fourier and the MLP exp(c_noise). */
    @Test
    void theNetworksEmbeddingDecidesTheLabel() {
        assertEquals(EdmPreconditioning.Label.C_NOISE, EdmPreconditioning.Label.of(Presets.named("mnist_small_pfgmpp").network()));
        assertEquals(EdmPreconditioning.Label.C_NOISE, EdmPreconditioning.Label.of(NetworkConfig.cifar10Ddpmpp()));
        assertEquals(EdmPreconditioning.Label.EXP_C_NOISE, EdmPreconditioning.Label.of(NetworkConfig.cifar10Ncsnpp()));
        assertEquals(EdmPreconditioning.Label.EXP_C_NOISE, EdmPreconditioning.Label.of(NetworkConfig.mlp(2, 128, 3)));
        assertEquals(EdmPreconditioning.Label.EXP_C_NOISE, EdmPreconditioning.Label.of(Presets.named("toy2d_pfgmpp").network()));
        assertEquals(EdmPreconditioning.Label.EXP_C_NOISE, EdmPreconditioning.Label.of(Presets.named("cifar10_pfgmpp_d2048").network()));
        for (EdmPreconditioning.Label label : EdmPreconditioning.Label.values()) {
            assertEquals(0.37, label.sigma(label.of(0.37)), 1e-14);
        }
    }
}
