package pfgm.method.pfgmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import pfgm.Arrays2;
import pfgm.nn.Network;
import pfgm.train.Losses;
import pfgm.util.Rng;
import pfgm.util.Scalars;

/**
 * PFGM++'s loss against values derived independently: for Gaussian data the loss of a linear
 * denoiser depends only on second moments, and EDM's weighting makes the optimum exactly N; for a
 * discrete data set the exact denoiser beats perturbed ones on the same draws.
 */
class PfgmppLossTest {
    private static final int N = 8;
    private static final double S = 0.5; // sigma_data of the presets, and the data's standard deviation here

    /** Per-coordinate noise variance of the kernel: sigma^2 D / (D - 2) (E R^2 = r^2 N / (D - 2)), sigma^2 for EDM. */
    private static double noiseVariance(double sigma, double d) {
        return Double.isInfinite(d) ? sigma * sigma : sigma * sigma * d / (d - 2);
    }

    /** A denoiser D(x, sigma) of rows x at their noise levels. */
    @FunctionalInterface
    interface Denoiser {
        NDArray denoise(NDArray x, double[] sigma);

        /** As PFGM++'s model: sigma per row as the label. */
        default Network model() {
            return (x, sigma) -> denoise(x, sigma.toType(DataType.FLOAT64, false).toDoubleArray());
        }
    }

    /** The best linear denoiser a(sigma) x, a = s^2 / (s^2 + v), for y ~ N(0, s^2 I). */
    private static Denoiser linear(double d) {
        return (x, sigma) -> {
            double[] a = Arrays.stream(sigma).map(s -> S * S / (S * S + noiseVariance(s, d))).toArray();
            NDArray column = x.getManager().create(a).reshape(a.length, 1).toType(x.getDataType(), true);
            return x.mul(column);
        };
    }

    /** Mean and standard error of the loss over {@code batches} independent batches of Gaussian data. */
    private static double[] gaussianLoss(double d, int batches, int rows) {
        Pfgmpp method = PfgmppKernelTest.method(d);
        Network model = linear(d).model();
        double[] losses = new double[batches];
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int b = 0; b < batches; b++) {
                NDArray y = Scalars.times(new Rng(100 + b).normal(manager, new Shape(rows, N)), S);
                losses[b] = Losses.step(method, model, y, new Rng(200 + b)).toType(DataType.FLOAT64, false).getDouble();
            }
        }
        double mean = Arrays.stream(losses).average().orElseThrow();
        double var = Arrays.stream(losses).map(l -> (l - mean) * (l - mean)).sum() / (batches - 1);
        return new double[] {mean, Math.sqrt(var / batches)};
    }

    /**
     * D = Infinity (EDM), y ~ N(0, sigma_data^2 I): the posterior mean s^2 / (s^2 + sigma^2) x has
     * error variance s^2 sigma^2 / (s^2 + sigma^2) per coordinate, and lambda(sigma) times it is 1:
     * the loss (a sum over the N coordinates, a mean over the batch) is N = 8 at every sigma, a
     * chi-square with N degrees of freedom per row. Half of it (0.5 * sum) or a mean over
     * coordinates would give 4 or 1.
     */
    @Test
    void edmsFloorForGaussianDataIsN() {
        double[] loss = gaussianLoss(Double.POSITIVE_INFINITY, 4, 5000);
        double se = Math.sqrt(2.0 * N / 20000); // chi-square(N) per row
        System.out.printf("PFGM++ D=Infinity Gaussian floor: loss %.4f (batch SE %.4f, chi-square SE %.4f), expected %d%n",
                loss[0], loss[1], se, N);
        assertEquals(N, loss[0], 4 * se);
    }

    /**
     * Finite D, y ~ N(0, s^2 I), the best linear denoiser for the kernel's noise variance
     * v = sigma^2 D / (D - 2): its loss is lambda(sigma) N s^2 v / (s^2 + v) at each sigma (only
     * second moments enter), averaged here over ln sigma ~ N(-1.2, 1.2^2) by the trapezoid rule.
     */
    @Test
    void finiteDLinearDenoiserLossMatchesItsExpectation() {
        for (double d : new double[] {16, 128}) {
            Pfgmpp method = PfgmppKernelTest.method(d);
            double expected = 0;
            int points = 4001;
            for (int i = 0; i < points; i++) {
                double z = -10 + 20.0 * i / (points - 1);
                double sigma = Math.exp(-1.2 + 1.2 * z);
                double v = noiseVariance(sigma, d);
                double value = EdmLoss.weight(sigma, S) * N * S * S * v / (S * S + v);
                double density = Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI);
                expected += (i == 0 || i == points - 1 ? 0.5 : 1) * value * density * 20.0 / (points - 1);
            }
            double[] loss = gaussianLoss(d, 8, 5000);
            System.out.printf("PFGM++ D=%.0f linear denoiser on Gaussian data: loss %.4f +- %.4f, expected %.4f%n", d,
                    loss[0], loss[1], expected);
            assertEquals(expected, loss[0], 4 * loss[1] + 1e-3);
            if (d == 16) { // the test tells the kernel's variance from EDM's: there the same loss would be N
                assertTrue(Math.abs(expected - N) > 8 * loss[1], "D=16: " + expected + " too close to " + N);
            }
        }
    }

    /**
     * On a discrete data set (eight points in R^4, each repeated 500 times), with the same random
     * draws for every candidate, the exact denoiser scores lower than the same denoiser shifted,
     * shrunk toward x, or built for another D.
     */
    @Test
    void theExactDenoiserBeatsPerturbedOnes() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray points = new Rng(1).normal(manager, new Shape(8, 4));
            double[][] p = Arrays2.rows(points);
            double[][] rows = new double[4000][];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = p[i % 8];
            }
            NDArray batch = Arrays2.matrix(manager, rows).toType(DataType.FLOAT32, false);
            for (double d : new double[] {1, 16, Double.POSITIVE_INFINITY}) {
                Pfgmpp method = PfgmppKernelTest.method(d);
                OracleDenoiser exact = new OracleDenoiser(points, d);
                OracleDenoiser otherD = new OracleDenoiser(points, Double.isInfinite(d) ? 2 : d * 8);
                Network shifted = (x, sigma) -> exact.apply(x, sigma).add(0.05f);
                Network shrunk = (x, sigma) -> Scalars.times(exact.apply(x, sigma), 0.9).add(Scalars.times(x, 0.1));
                double best = loss(method, exact, batch);
                double[] others = {loss(method, shifted, batch), loss(method, shrunk, batch), loss(method, otherD, batch)};
                System.out.printf("PFGM++ D=%s loss on 8 points: exact %.4f, shifted %.4f, shrunk %.4f, other D %.4f%n", d, best,
                        others[0], others[1], others[2]);
                for (double other : others) {
                    assertTrue(best < other, "D=" + d + ": exact " + best + " vs " + Arrays.toString(others));
                }
            }
        }
    }

    private static double loss(Pfgmpp method, Network model, NDArray batch) {
        return Losses.step(method, model, batch, new Rng(42)).toType(DataType.FLOAT64, false).getDouble();
    }
}
