package pfgm.method.pfgmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.special.Beta;
import org.junit.jupiter.api.Test;
import pfgm.Arrays2;
import pfgm.Stats;
import pfgm.nn.Network;
import pfgm.train.Losses;
import pfgm.util.Rng;

/**
 * PFGM++'s perturbation kernel and noise levels against distributions computed independently:
 * the radius R = r sqrt(b / (1 - b)), b ~ Beta(N/2, D/2), has the CDF I_{R^2 / (R^2 + r^2)}(N/2, D/2)
 * (the regularized incomplete beta function of commons-math3), directions are uniform, and at large
 * D the kernel becomes EDM's Gaussian.
 */
class PfgmppKernelTest {
    private static final double SIGMA = 0.7;

    static Pfgmpp method(double d) {
        return new Pfgmpp(PfgmppConfig.edm(d), EdmPreconditioning.Label.C_NOISE);
    }

    /** CDF of the radius of the kernel with parameter r in R^N. */
    static double radiusCdf(double radius, int n, double d, double r) {
        double b = radius * radius / (radius * radius + r * r);
        return Beta.regularizedBeta(b, n / 2.0, d / 2.0);
    }

    static double[] norms(NDArray rows) {
        return Arrays.stream(Arrays2.rows(rows)).mapToDouble(Arrays2::norm).toArray();
    }

    @Test
    void radiiFollowTheInverseBetaLaw() {
        int[][] cases = {{2, 1}, {4, 16}, {256, 128}, {3072, 2048}, {3072, 1}};
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int[] c : cases) {
                int n = c[0];
                double d = c[1];
                double[] sigma = new double[3000];
                Arrays.fill(sigma, SIGMA);
                double[] radii = norms(method(d).perturbation(manager, sigma, n, new Rng(10 + n + c[1])));
                double r = SIGMA * Math.sqrt(d);
                double p = Stats.ksPValue(radii, x -> radiusCdf(x, n, d, r));
                System.out.printf("PFGM++ radius law N=%d D=%.0f: KS p = %.3f%n", n, d, p);
                assertTrue(p > 0.01, "N=" + n + " D=" + d + ": KS p-value " + p);
                // The test has power: the radius law of another D is rejected.
                double wrong = Stats.ksPValue(radii, x -> radiusCdf(x, n, 2 * d, r));
                assertTrue(wrong < 1e-3, "N=" + n + " D=" + d + ": law of 2D not rejected, p = " + wrong);
            }
        }
    }

    /** Each coordinate u_1 of a uniform unit vector in R^N has u_1^2 ~ Beta(1/2, (N-1)/2). */
    @Test
    void directionsAreUniform() {
        int n = 16;
        try (NDManager manager = NDManager.newBaseManager()) {
            double[] sigma = new double[3000];
            Arrays.fill(sigma, SIGMA);
            double[][] rows = Arrays2.rows(method(8).perturbation(manager, sigma, n, new Rng(5)));
            BetaDistribution law = new BetaDistribution(0.5, (n - 1) / 2.0);
            for (int k : new int[] {0, n - 1}) {
                double[] u2 = Arrays.stream(rows).mapToDouble(row -> row[k] * row[k] / Arrays2.dot(row, row)).toArray();
                double p = Stats.ksPValue(u2, law::cumulativeProbability);
                assertTrue(p > 0.01, "coordinate " + k + ": KS p-value " + p);
            }
        }
    }

    /**
     * ||perturbation||^2 / sigma^2 ~ chi-square with N degrees of freedom: exactly for D = Infinity,
     * within any test's reach for D = 10^6, and clearly not for D = 8.
     */
    @Test
    void largeDIsEdmsGaussian() {
        int n = 16;
        ChiSquaredDistribution chi2 = new ChiSquaredDistribution(n);
        try (NDManager manager = NDManager.newBaseManager()) {
            double[] sigma = new double[3000];
            Arrays.fill(sigma, SIGMA);
            for (double d : new double[] {Double.POSITIVE_INFINITY, 1e6, 8}) {
                double[] scaled = Arrays.stream(norms(method(d).perturbation(manager, sigma, n, new Rng(6))))
                        .map(x -> x * x / (SIGMA * SIGMA)).toArray();
                double p = Stats.ksPValue(scaled, chi2::cumulativeProbability);
                System.out.printf("PFGM++ D=%.0f: ||n||^2/sigma^2 against chi-square(%d): KS p = %.3g%n", d, n, p);
                if (d > 1e5) {
                    assertTrue(p > 0.01, "D=" + d + ": KS p-value " + p);
                } else {
                    assertTrue(p < 1e-3, "D=" + d + " should not look Gaussian, p = " + p);
                }
            }
        }
    }

    /**
     * The loss's own draws, read back from what the network is given: ln sigma ~ N(-1.2, 1.2^2),
     * the input is c_in (y + perturbation), and the perturbation's radius follows each row's law
     * (its probability integral transform is uniform).
     */
    @Test
    void theLossDrawsSigmaLogNormalAndPerturbsWithTheKernel() {
        int n = 8;
        double d = 4;
        int rows = 3000;
        Pfgmpp method = method(d);
        try (NDManager manager = NDManager.newBaseManager()) {
            double[][] seen = new double[2][];
            NDArray[] input = new NDArray[1];
            Network recorder = (x, label) -> {
                input[0] = x.toType(DataType.FLOAT64, true);
                seen[0] = label.toType(DataType.FLOAT64, false).toDoubleArray();
                return x.zerosLike();
            };
            NDArray data = new Rng(1).uniform(manager, new Shape(rows, n), -1, 1);
            Losses.step(method, method.model(recorder), data, new Rng(7));
            double[] sigma = Arrays.stream(seen[0]).map(label -> Math.exp(4 * label)).toArray();
            double[] logSigma = Arrays.stream(sigma).map(Math::log).toArray();
            NormalDistribution normal = new NormalDistribution(-1.2, 1.2);
            double pSigma = Stats.ksPValue(logSigma, normal::cumulativeProbability);
            assertTrue(pSigma > 0.01, "ln sigma: KS p-value " + pSigma);
            double[][] x = Arrays2.rows(input[0]);
            double[][] y = Arrays2.rows(data.toType(DataType.FLOAT64, false));
            double[] uniform = new double[rows];
            for (int i = 0; i < rows; i++) {
                double cIn = 1 / Math.sqrt(sigma[i] * sigma[i] + 0.25);
                double squared = 0;
                for (int k = 0; k < n; k++) {
                    double e = x[i][k] / cIn - y[i][k];
                    squared += e * e;
                }
                uniform[i] = radiusCdf(Math.sqrt(squared), n, d, sigma[i] * Math.sqrt(d));
            }
            double pRadius = Stats.ksPValue(uniform, u -> u);
            System.out.printf("PFGM++ loss draws: ln sigma KS p = %.3f, radius PIT KS p = %.3f%n", pSigma, pRadius);
            assertTrue(pRadius > 0.01, "radius PIT: KS p-value " + pRadius);
        }
    }

    @Test
    void priorSamplesTheKernelAtSigmaMax() {
        int n = 256;
        double d = 128;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray prior = method(d).prior(manager, 3000, n, new Rng(8));
            assertEquals(DataType.FLOAT32, prior.getDataType());
            double p = Stats.ksPValue(norms(prior), x -> radiusCdf(x, n, d, 80 * Math.sqrt(d)));
            assertTrue(p > 0.01, "KS p-value " + p);
            double[] scaled = Arrays.stream(norms(method(Double.POSITIVE_INFINITY).prior(manager, 3000, n, new Rng(9))))
                    .map(x -> x * x / 6400).toArray();
            double pEdm = Stats.ksPValue(scaled, new ChiSquaredDistribution(n)::cumulativeProbability);
            assertTrue(pEdm > 0.01, "EDM prior: KS p-value " + pEdm);
        }
    }
}
