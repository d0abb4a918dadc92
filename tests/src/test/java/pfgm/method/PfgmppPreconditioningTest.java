package pfgm.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import pfgm.Arrays2;
import pfgm.config.PfgmppConfig;
import pfgm.config.Presets;
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

    private static double[] ours(Pfgmpp m, double sigma) {
        return new double[] {m.cSkip(sigma), m.cOut(sigma), m.cIn(sigma), Pfgmpp.cNoise(sigma), m.lossWeight(sigma)};
    }

    @Test
    void coefficientsAreEdms() {
        Pfgmpp m = PfgmppKernelTest.method(128);
        // sigma = sigma_data = 0.5, by hand: c_skip 1/2, c_out 0.25 / sqrt(0.5), c_in sqrt 2, c_noise ln(0.5) / 4, weight 8.
        assertArrayEquals(new double[] {0.5, 0.35355339059327373, 1.4142135623730951, -0.17328679513998632, 8},
                ours(m, 0.5), 1e-15);
        for (double sigmaData : new double[] {0.5, 2}) {
            Pfgmpp method = new Pfgmpp(PfgmppConfig.edm(128).withSigmaData(sigmaData), Pfgmpp.Label.C_NOISE);
            for (double sigma : new double[] {0.002, 0.01, 0.3, 1, 7, 80}) {
                assertArrayEquals(edm(sigma, sigmaData), ours(method, sigma), 1e-12 * edm(sigma, sigmaData)[4],
                        "sigma " + sigma);
                // The properties EDM chose them for: unit-variance input and unit effective weight.
                assertEquals(1, method.cIn(sigma) * method.cIn(sigma) * (sigma * sigma + sigmaData * sigmaData), 1e-12);
                assertEquals(1, method.lossWeight(sigma) * method.cOut(sigma) * method.cOut(sigma), 1e-12);
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
            for (Pfgmpp.Label label : Pfgmpp.Label.values()) {
                Pfgmpp m = new Pfgmpp(PfgmppConfig.edm(64), label);
                NDArray[] seen = new NDArray[2];
                Network network = (input, labels) -> {
                    seen[0] = input;
                    seen[1] = labels;
                    return f;
                };
                double[][] d = Arrays2.rows(m.denoise(network, x, sigma));
                double[][] xs = Arrays2.rows(x);
                double[][] fs = Arrays2.rows(f);
                double[][] in = Arrays2.rows(seen[0]);
                double[] labels = seen[1].toDoubleArray();
                for (int i = 0; i < 3; i++) {
                    double[] c = edm(sigma[i], 0.5);
                    double embedded = label == Pfgmpp.Label.C_NOISE ? labels[i] : Math.log(labels[i]);
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
        assertEquals(Pfgmpp.Label.C_NOISE, Pfgmpp.Label.of(Presets.named("mnist_small_pfgmpp").network()));
        assertEquals(Pfgmpp.Label.C_NOISE, Pfgmpp.Label.of(NetworkConfig.cifar10Ddpmpp()));
        assertEquals(Pfgmpp.Label.EXP_C_NOISE, Pfgmpp.Label.of(NetworkConfig.cifar10Ncsnpp()));
        assertEquals(Pfgmpp.Label.EXP_C_NOISE, Pfgmpp.Label.of(NetworkConfig.mlp(2, 128, 3)));
        assertEquals(Pfgmpp.Label.EXP_C_NOISE, Pfgmpp.Label.of(Presets.named("toy2d_pfgmpp").network()));
        assertEquals(Pfgmpp.Label.EXP_C_NOISE, Pfgmpp.Label.of(Presets.named("cifar10_pfgmpp_d2048").network()));
        for (Pfgmpp.Label label : Pfgmpp.Label.values()) {
            assertEquals(0.37, label.sigma(label.of(0.37)), 1e-14);
        }
    }

    /** asNetwork inverts the preconditioning: the denoiser of asNetwork(d) is d. */
    @Test
    void asNetworkInvertsThePreconditioning() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray data = new Rng(3).normal(manager, new Shape(5, 3)).toType(DataType.FLOAT64, false);
            NDArray x = new Rng(4).normal(manager, new Shape(4, 3)).toType(DataType.FLOAT64, false);
            double[] sigma = {0.002, 0.2, 3, 80};
            for (Pfgmpp.Label label : Pfgmpp.Label.values()) {
                Pfgmpp m = new Pfgmpp(PfgmppConfig.edm(16), label);
                OracleDenoiser exact = new OracleDenoiser(data, 16);
                double[][] direct = Arrays2.rows(exact.denoise(x, sigma));
                double[][] through = Arrays2.rows(m.denoise(m.asNetwork(exact), x, sigma));
                for (int i = 0; i < direct.length; i++) {
                    assertArrayEquals(direct[i], through[i], 1e-9, label + " row " + i);
                }
            }
        }
    }
}
