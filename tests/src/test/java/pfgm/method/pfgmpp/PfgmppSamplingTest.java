package pfgm.method.pfgmpp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.apache.commons.math3.stat.inference.ChiSquareTest;
import org.junit.jupiter.api.Test;
import pfgm.Arrays2;
import pfgm.Stats;
import pfgm.nn.Network;
import pfgm.ode.Flow;
import pfgm.ode.RK45;
import pfgm.ode.Solution;
import pfgm.sampling.SamplingConfig;
import pfgm.sampling.Solver;
import pfgm.util.Rng;

/**
 * PFGM++ sampling driven by the exact denoiser of a small data set: EDM's schedule and Heun take
 * prior samples to the data points in the data's proportions, for D = 1 (PFGM's field), a middle
 * D and D = Infinity (EDM); RK45 and Euler too.
 */
class PfgmppSamplingTest {
    /** Three points in R^4, the first twice: proportions 1/2, 1/4, 1/4. */
    private static final double[][] POINTS = {{1, 1, 0, 0}, {-1, 0, 1, 0}, {0, -1, -1, 1}};
    private static final double[][] DATA = {POINTS[0], POINTS[0], POINTS[1], POINTS[2]};
    private static final double[] PROPORTIONS = {0.5, 0.25, 0.25};
    private static final double[] DS = {1, 16, Double.POSITIVE_INFINITY};

    @Test
    void theScheduleIsEdms() {
        double[] t = PfgmppKernelTest.method(128).schedule(18);
        assertEquals(19, t.length);
        // EDM's t_steps for num_steps = 18 (numpy, from generate.py's formula), then 0.
        double[] edm = {80, 57.5859847, 40.7855738, 28.3745846, 19.3524530, 12.9100824, 8.40093531, 5.31519452,
            3.25682152, 1.92333984, 1.08817064, 0.585348123, 0.296442284, 0.139516469, 0.0599473112, 0.0229345184,
            0.00752801996, 0.002, 0};
        for (int i = 0; i < t.length; i++) {
            assertEquals(edm[i], t[i], 1e-8 * Math.max(edm[i], 1e-3), "sigma_" + i);
        }
        assertArrayEquals(new double[] {80, 0}, PfgmppKernelTest.method(128).schedule(1));
        try (NDManager manager = NDManager.newBaseManager()) {
            Flow flow = PfgmppKernelTest.method(128).flow(new OracleDenoiser(manager.zeros(new Shape(1, 2)), 128), 2);
            assertEquals(80, flow.start());
            assertEquals(0.002, flow.end());
            assertTrue(flow.drift().definedAt(0.002));
            assertFalse(flow.drift().definedAt(0), "the drift (x - D) / sigma is undefined at sigma = 0");
        }
    }

    /** The oracle's weights against a direct computation of the posterior over the points. */
    @Test
    void theOracleIsThePosteriorMean() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray data = Arrays2.matrix(manager, DATA);
            double[][] x = {{0.3, 0.2, -0.1, 0.4}, {2, -1, 0.5, 0}, {-0.9, 0.1, 1.1, 0.05}};
            double[] sigma = {0.2, 1.5, 0.05};
            for (double d : new double[] {1, 16, 1e6, Double.POSITIVE_INFINITY}) {
                double[][] got = Arrays2.rows(new OracleDenoiser(data, d).apply(Arrays2.matrix(manager, x), manager.create(sigma)));
                for (int i = 0; i < x.length; i++) {
                    double[] logw = new double[DATA.length];
                    for (int j = 0; j < DATA.length; j++) {
                        double dist2 = 0;
                        for (int k = 0; k < 4; k++) {
                            dist2 += (x[i][k] - DATA[j][k]) * (x[i][k] - DATA[j][k]);
                        }
                        logw[j] = Double.isInfinite(d) ? -dist2 / (2 * sigma[i] * sigma[i])
                                : -(4 + d) / 2 * Math.log(dist2 + sigma[i] * sigma[i] * d);
                    }
                    double max = Arrays.stream(logw).max().orElseThrow();
                    double total = Arrays.stream(logw).map(l -> Math.exp(l - max)).sum();
                    double[] mean = new double[4];
                    for (int j = 0; j < DATA.length; j++) {
                        for (int k = 0; k < 4; k++) {
                            mean[k] += Math.exp(logw[j] - max) / total * DATA[j][k];
                        }
                    }
                    assertArrayEquals(mean, got[i], 1e-9, "D=" + d + " row " + i);
                }
            }
        }
    }

    /** Counts per nearest point and the largest distance to it. */
    private record Landing(long[] counts, double maxDistance, double[] distances) {}

    private static Landing land(NDArray samples) {
        double[][] rows = Arrays2.rows(samples.toType(DataType.FLOAT64, false));
        long[] counts = new long[POINTS.length];
        double[] distances = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            int best = 0;
            double bestDistance = Double.MAX_VALUE;
            for (int j = 0; j < POINTS.length; j++) {
                double[] diff = new double[4];
                for (int k = 0; k < 4; k++) {
                    diff[k] = rows[i][k] - POINTS[j][k];
                }
                double dist = Arrays2.norm(diff);
                if (dist < bestDistance) {
                    bestDistance = dist;
                    best = j;
                }
            }
            counts[best]++;
            distances[i] = bestDistance;
        }
        return new Landing(counts, Arrays.stream(distances).max().orElseThrow(), distances);
    }

    private static double proportionsP(long[] counts) {
        long n = Arrays.stream(counts).sum();
        double[] expected = Arrays.stream(PROPORTIONS).map(p -> p * n).toArray();
        return new ChiSquareTest().chiSquareTest(expected, counts);
    }

    /**
     * Every sample within 1e-3 of a data point, except, for D = 1, the share the kernel's heavy tail
     * keeps far from every point: at N = 4 and D = 1, P(R > k r) is about 3 / k, so the exact
     * marginal at sigma_min = 0.002 holds about 1.3% of its mass beyond 0.45 from the points, where
     * even the exact denoiser's last step averages between them; at most 3% may be farther.
     */
    private static void assertLanded(String what, double d, Landing landing) {
        long far = Arrays.stream(landing.distances()).filter(x -> x > 1e-3).count();
        if (d == 1) {
            assertTrue(far <= 0.03 * landing.distances().length, what + ": " + far + " samples farther than 1e-3");
        } else {
            assertTrue(landing.maxDistance() < 1e-3, what + ": a sample is " + landing.maxDistance() + " from the data");
        }
    }

    private static long far(Landing landing) {
        return Arrays.stream(landing.distances()).filter(x -> x > 1e-3).count();
    }

    /**
     * EDM's sampler (Heun, 18 steps, NFE 35) from the prior: samples on the data points, counts
     * in proportion (chi-square test). With sigma_min = 1e-6 the tail of D = 1 is gone too.
     */
    @Test
    void heunTakesThePriorToTheData() {
        int n = 600;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray data = Arrays2.matrix(manager, DATA).toType(DataType.FLOAT32, false);
            for (double d : DS) {
                Pfgmpp method = PfgmppKernelTest.method(d);
                Network oracle = new OracleDenoiser(data, d);
                Solution s = SamplingConfig.ode(Solver.HEUN, 18, 1e-5, 1e-5).sampler().sample(method, oracle, 4, manager, n, new Rng(11), false, f -> {});
                Landing landing = land(s.y());
                double p = proportionsP(landing.counts());
                System.out.printf("PFGM++ heun-18 D=%s: NFE %d, counts %s, chi-square p %.3f, max distance %.2e, %d farther "
                        + "than 1e-3%n", d, s.nfe(), Arrays.toString(landing.counts()), p, landing.maxDistance(), far(landing));
                assertEquals(35, s.nfe());
                assertLanded("heun D=" + d, d, landing);
                assertTrue(p > 0.001, "D=" + d + ": counts " + Arrays.toString(landing.counts()) + ", p " + p);
            }
            Pfgmpp pfgmLike = new Pfgmpp(new PfgmppConfig(1, 1e-6, 80, 7, -1.2, 1.2, 0.5), EdmPreconditioning.Label.C_NOISE);
            Solution s = SamplingConfig.ode(Solver.HEUN, 18, 1e-5, 1e-5).sampler().sample(pfgmLike, new OracleDenoiser(data, 1), 4, manager, n, new Rng(11), false, f -> {});
            Landing landing = land(s.y());
            System.out.printf("PFGM++ heun-18 D=1, sigma_min 1e-6: counts %s, max distance %.2e%n",
                    Arrays.toString(landing.counts()), landing.maxDistance());
            assertTrue(landing.maxDistance() < 1e-3, "D=1, sigma_min 1e-6: a sample is " + landing.maxDistance() + " away");
            assertTrue(proportionsP(landing.counts()) > 0.001, "counts " + Arrays.toString(landing.counts()));
        }
    }

    /**
     * RK45 stops at sigma_min, so samples keep noise of that level: their distances to the nearest
     * point follow the kernel's radius law at r = sigma_min sqrt(D) (KS test), counts in proportion.
     * Euler over the schedule with 100 steps ends, like Heun, with the step to sigma = 0.
     */
    @Test
    void rk45AndEulerTakeThePriorToTheData() {
        int n = 600;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray data = Arrays2.matrix(manager, DATA).toType(DataType.FLOAT32, false);
            for (double d : DS) {
                Pfgmpp method = PfgmppKernelTest.method(d);
                Network oracle = new OracleDenoiser(data, d);
                NDArray prior = method.prior(manager, n, 4, new Rng(12)).toType(DataType.FLOAT64, false);
                Solution rk = new RK45(1e-5, 1e-5).solve(method.flow(oracle, 4).withoutTemporaries(), prior, false);
                Landing landing = land(rk.y());
                double r = 0.002 * (Double.isInfinite(d) ? 1 : Math.sqrt(d));
                double ks = Stats.ksPValue(landing.distances(), x -> Double.isInfinite(d)
                        ? new org.apache.commons.math3.distribution.ChiSquaredDistribution(4).cumulativeProbability(x * x / (r * r))
                        : PfgmppKernelTest.radiusCdf(x, 4, d, r));
                double p = proportionsP(landing.counts());
                System.out.printf("PFGM++ rk45 D=%s: NFE %d, counts %s, chi-square p %.3f, distance KS p %.3f%n", d, rk.nfe(),
                        Arrays.toString(landing.counts()), p, ks);
                assertTrue(ks > 0.01, "D=" + d + ": distances to the data at sigma_min, KS p " + ks);
                assertEquals(d == 1 ? 296 : 200, rk.nfe(), "D=" + d + ": RK45's evaluations, pinned");
                assertTrue(p > 0.001, "D=" + d + ": counts " + Arrays.toString(landing.counts()) + ", p " + p);

                Solution euler = SamplingConfig.ode(Solver.EULER, 100, 1e-5, 1e-5).sampler().sample(method, oracle, 4, manager, n, new Rng(13), false, f -> {});
                Landing eulerLanding = land(euler.y());
                double pEuler = proportionsP(eulerLanding.counts());
                System.out.printf("PFGM++ euler-100 D=%s: NFE %d, counts %s, chi-square p %.3f, max distance %.2e, %d farther "
                        + "than 1e-3%n", d, euler.nfe(), Arrays.toString(eulerLanding.counts()), pEuler,
                        eulerLanding.maxDistance(), far(eulerLanding));
                assertEquals(100, euler.nfe());
                assertLanded("euler D=" + d, d, eulerLanding);
                assertTrue(pEuler > 0.001, "D=" + d + ": Euler counts " + Arrays.toString(eulerLanding.counts()));
            }
        }
    }
}
