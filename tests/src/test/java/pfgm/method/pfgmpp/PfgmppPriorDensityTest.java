package pfgm.method.pfgmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.apache.commons.math3.special.Gamma;
import org.junit.jupiter.api.Test;
import pfgm.Arrays2;
import pfgm.eval.Likelihood;
import pfgm.method.pfgm.Prior;
import pfgm.nn.Network;
import pfgm.ode.RK45;
import pfgm.util.Rng;

/** PFGM++'s prior density: normalized, PFGM's Poisson kernel at D = 1, EDM's Gaussian at D = Infinity. */
class PfgmppPriorDensityTest {

    /**
     * The integral over R^N, as the radial integral S_{N-1} int R^(N-1) p(R e_1) dR in u = ln R
     * (trapezoid rule over 80 e-folds either side of r), is 1.
     */
    @Test
    void integratesToOne() {
        double[][] cases = {{2, 1}, {3, 1}, {4, 16}, {16, 3}, {64, 2048}, {8, Double.POSITIVE_INFINITY}};
        try (NDManager manager = NDManager.newBaseManager()) {
            for (double[] c : cases) {
                int n = (int) c[0];
                double d = c[1];
                Pfgmpp method = PfgmppKernelTest.method(d);
                double center = Math.log(80 * (Double.isInfinite(d) ? 1 : Math.sqrt(d)));
                int points = 80_001;
                double[][] rows = new double[points][n];
                double[] u = new double[points];
                for (int i = 0; i < points; i++) {
                    u[i] = center - 80 + 160.0 * i / (points - 1);
                    rows[i][0] = Math.exp(u[i]);
                }
                double[] logp = method.priorLogDensity(Arrays2.matrix(manager, rows)).toDoubleArray();
                double logSphere = Math.log(2) + n / 2.0 * Math.log(Math.PI) - Gamma.logGamma(n / 2.0);
                double total = 0;
                for (int i = 1; i < points; i++) {
                    double a = Math.exp(logSphere + n * u[i - 1] + logp[i - 1]);
                    double b = Math.exp(logSphere + n * u[i] + logp[i]);
                    total += (a + b) / 2 * (u[i] - u[i - 1]);
                }
                System.out.printf("PFGM++ prior N=%d D=%s: integral %.9f%n", n, d, total);
                assertEquals(1, total, 1e-6, "N=" + n + " D=" + d);
            }
        }
    }

    /** At D = 1 the prior is PFGM's (pfgm.method.pfgm.Prior, unclipped) with z_max = r = sigma_max. */
    @Test
    void dEqualsOneIsPfgmsPoissonKernel() {
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int n : new int[] {2, 16, 3072}) {
                NDArray x = new Rng(n).normal(manager, new Shape(20, n)).toType(DataType.FLOAT64, false).mul(60);
                double[] ours = PfgmppKernelTest.method(1).priorLogDensity(x).toDoubleArray();
                double[] pfgm = new Prior(n, 80, Double.MAX_VALUE).logDensity(x).toDoubleArray();
                for (int i = 0; i < ours.length; i++) {
                    assertEquals(pfgm[i], ours[i], 1e-9 * Math.abs(pfgm[i]), "N=" + n + " row " + i);
                }
            }
        }
    }

    /** D = Infinity is N(0, sigma_max^2 I); D = 10^7 is within 1e-3 nats of it. */
    @Test
    void largeDIsTheGaussian() {
        int n = 16;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = new Rng(3).normal(manager, new Shape(20, n)).toType(DataType.FLOAT64, false).mul(80);
            double[][] rows = Arrays2.rows(x);
            double[] edm = PfgmppKernelTest.method(Double.POSITIVE_INFINITY).priorLogDensity(x).toDoubleArray();
            double[] large = PfgmppKernelTest.method(1e7).priorLogDensity(x).toDoubleArray();
            for (int i = 0; i < rows.length; i++) {
                double gaussian = -n / 2.0 * Math.log(2 * Math.PI * 6400) - Arrays2.dot(rows[i], rows[i]) / 12800;
                assertEquals(gaussian, edm[i], 1e-9 * Math.abs(gaussian));
                assertEquals(gaussian, large[i], 1e-3);
            }
        }
    }

    /**
     * One data point at the origin: its exact denoiser is 0, the flow is x(sigma) ~ sigma, and it
     * carries the kernel at sigma_min onto the prior. The likelihood at sigma_min (forward ODE,
     * Hutchinson, prior density) must be the kernel there, written out here: for D = 1 PFGM's
     * Poisson kernel with z = sigma_min, for D = Infinity the Gaussian, else
     * Gamma((N+D)/2) / (pi^(N/2) Gamma(D/2)) r^D / (||x||^2 + r^2)^((N+D)/2).
     */
    @Test
    void likelihoodOfOnePointIsTheKernelAtSigmaMin() {
        int n = 4;
        double sigmaMin = 0.002;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray point = manager.zeros(new Shape(1, n), DataType.FLOAT64);
            NDArray x = new Rng(1).normal(manager, new Shape(5, n)).toType(DataType.FLOAT64, false).mul(0.003);
            double[][] rows = Arrays2.rows(x);
            for (double d : new double[] {1, 16, Double.POSITIVE_INFINITY}) {
                Pfgmpp method = PfgmppKernelTest.method(d);
                Network oracle = new OracleDenoiser(point, d);
                double[] logp = Likelihood.logDensity(method, oracle, x, new RK45(1e-6, 1e-6), new Rng(2)).logDensity();
                double[] expected = new double[rows.length];
                if (d == 1) {
                    expected = new Prior(n, sigmaMin, Double.MAX_VALUE).logDensity(x).toDoubleArray();
                }
                double worst = 0;
                for (int i = 0; i < rows.length; i++) {
                    double s = Arrays2.dot(rows[i], rows[i]);
                    if (Double.isInfinite(d)) {
                        expected[i] = -n / 2.0 * Math.log(2 * Math.PI * sigmaMin * sigmaMin) - s / (2 * sigmaMin * sigmaMin);
                    } else if (d != 1) {
                        double r2 = sigmaMin * sigmaMin * d;
                        expected[i] = Gamma.logGamma((n + d) / 2) - n / 2.0 * Math.log(Math.PI) - Gamma.logGamma(d / 2)
                                + d / 2 * Math.log(r2) - (n + d) / 2 * Math.log(s + r2);
                    }
                    assertEquals(expected[i], logp[i], 1e-3, "D=" + d + " row " + i);
                    worst = Math.max(worst, Math.abs(expected[i] - logp[i]));
                }
                System.out.printf("PFGM++ D=%s one-point likelihood: largest error %.2e nats (log p about %.1f)%n", d, worst,
                        expected[0]);
            }
        }
    }
}
