package pfgm.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pfgm.Stats;
import pfgm.data.Toy2D;
import pfgm.notebook.Notebook;
import pfgm.util.Rng;
import tech.tablesaw.api.Table;

class ToyMetricsTest {
    static final Toy2D EIGHT = Toy2D.EIGHT_GAUSSIANS;
    static final double SD = 0.5 / Math.sqrt(2);
    static final double RADIUS = 2 * Math.sqrt(2);
    static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    static double[][] data(int n, long seed) {
        return Notebook.rows(EIGHT.sample(manager, n, new Rng(seed)));
    }

    /** The failure toy2d once had: uniform angle on the circle through the centres, radius N(2 sqrt 2, 0.12^2). */
    static double[][] ring(int n, double radialSd, long seed) {
        Rng rng = new Rng(seed);
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            double angle = 2 * Math.PI * rng.nextDouble();
            double r = RADIUS + radialSd * rng.nextGaussian();
            out[i] = new double[] {r * Math.cos(angle), r * Math.sin(angle)};
        }
        return out;
    }

    /** The mixture's density written out directly (eight equal-weight isotropic Gaussians), no log-sum-exp. */
    static double bruteLogDensity(double x, double y) {
        double sum = 0;
        for (int k = 0; k < 8; k++) {
            double mx = RADIUS * Math.cos(2 * Math.PI * k / 8);
            double my = RADIUS * Math.sin(2 * Math.PI * k / 8);
            double d2 = (x - mx) * (x - mx) + (y - my) * (y - my);
            sum += Math.exp(-d2 / (2 * SD * SD)) / (2 * Math.PI * SD * SD) / 8;
        }
        return Math.log(sum);
    }

    @Test
    void meanLogDensityIsTheMeanOfTheDensityWrittenOut() {
        double[][] points = ring(300, 0.6, 4);
        double expected = 0;
        for (double[] p : points) {
            expected += bruteLogDensity(p[0], p[1]) / points.length;
        }
        assertEquals(expected, ToyMetrics.meanLogDensity(EIGHT, points), 1e-9);
    }

    /**
     * Fresh data's mean log-density estimates minus the entropy, log 8 + 1 + log(2 pi sd^2) = -2.838
     * for well separated components: within 4 standard errors at n = 20,000.
     */
    @Test
    void freshDataScoreMinusTheEntropy() {
        double[][] points = data(20_000, 1);
        double mean = ToyMetrics.meanLogDensity(EIGHT, points);
        double sq = 0;
        for (double[] p : points) {
            double d = EIGHT.logDensity(p[0], p[1]) - mean;
            sq += d * d;
        }
        double se = Math.sqrt(sq / (points.length - 1) / points.length);
        double entropy = Math.log(8) + 1 + Math.log(2 * Math.PI * SD * SD);
        assertEquals(-entropy, mean, 4 * se);
        assertTrue(se < 0.01, "standard error " + se);
    }

    @Test
    void shareNearCentreCountsStandardizedDistances() {
        // Points at exactly known distances from the centre at angle 3 pi / 4: 1.9 sd and 2.1 sd, in varied directions.
        double cx = RADIUS * Math.cos(3 * Math.PI / 4);
        double cy = RADIUS * Math.sin(3 * Math.PI / 4);
        double[][] points = new double[10][];
        for (int i = 0; i < 10; i++) {
            double d = (i < 7 ? 1.9 : 2.1) * SD;
            double angle = 0.7 * i;
            points[i] = new double[] {cx + d * Math.cos(angle), cy + d * Math.sin(angle)};
        }
        assertEquals(0.7, ToyMetrics.shareNearCentre(EIGHT, points, 2), 1e-12);
        assertEquals(1.0, ToyMetrics.shareNearCentre(EIGHT, points, 2.2), 1e-12);
        assertEquals(0.0, ToyMetrics.shareNearCentre(EIGHT, points, 1.8), 1e-12);
    }

    /** Within 2 sd of its centre lies 1 - e^(-2) = 86.47% of an isotropic 2-D Gaussian (Rayleigh distance). */
    @Test
    void freshDataHas1MinusEToTheMinus2WithinTwoSd() {
        int n = 20_000;
        double share = ToyMetrics.shareNearCentre(EIGHT, data(n, 2), 2);
        double p = 1 - Math.exp(-2);
        assertEquals(p, share, 4 * Math.sqrt(p * (1 - p) / n));
    }

    /**
     * A thin ring through the centres (no radial spread) is near a centre where the chord to it is
     * below 2 sd: an arc of half-angle 2 asin(sd / R) = 0.2507 around each of the 8 centres, 63.8% of the circle.
     */
    @Test
    void aThinRingIsNearACentreOnTheArcsAnalytically() {
        int n = 20_000;
        double share = ToyMetrics.shareNearCentre(EIGHT, ring(n, 0, 5), 2);
        double p = 8 * 2 * (2 * Math.asin(SD / RADIUS)) / (2 * Math.PI);
        assertEquals(0.638, p, 1e-3);
        assertEquals(p, share, 4 * Math.sqrt(p * (1 - p) / n));
    }

    @Test
    void mmdStatisticIsTheUnbiasedEstimateOfMmd() {
        double[][] a = data(60, 6);
        double[][] b = ring(60, 0.3, 7);
        var test = ToyMetrics.mmdTest(a, b, 0.5, 1, 0);
        assertEquals(Mmd.unbiasedSquared(a, b, Mmd.gaussian(0.5)), test.mmdSquared(), 1e-6);
        // Unequal sizes: XX / (m (m - 1)) + YY / (n (n - 1)) - 2 XY / (m n), summed out here.
        double[][] c = ring(45, 0.3, 8);
        Mmd.Kernel k = Mmd.gaussian(0.7);
        double xx = 0;
        double yy = 0;
        double xy = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a.length; j++) {
                xx += i == j ? 0 : k.of(a[i], a[j]);
            }
            for (double[] cj : c) {
                xy += k.of(a[i], cj);
            }
        }
        for (int i = 0; i < c.length; i++) {
            for (int j = 0; j < c.length; j++) {
                yy += i == j ? 0 : k.of(c[i], c[j]);
            }
        }
        double expected = xx / (60.0 * 59) + yy / (45.0 * 44) - 2 * xy / (60.0 * 45);
        assertEquals(expected, ToyMetrics.mmdTest(a, c, 0.7, 1, 0).mmdSquared(), 1e-6);
    }

    /**
     * Four points against four: all 70 ways to split the eight give the exact permutation
     * distribution; 20,000 random relabellings must estimate its upper tail (within 4 binomial sd).
     */
    @Test
    void permutationPValueMatchesTheExactOneOnATinySet() {
        double[][] x = {{0, 0}, {0.3, 0.1}, {-0.2, 0.4}, {0.5, -0.3}};
        double[][] y = {{0.8, 0.9}, {1.2, 0.3}, {0.1, 0.6}, {0.9, -0.2}};
        double[][] pooled = {x[0], x[1], x[2], x[3], y[0], y[1], y[2], y[3]};
        Mmd.Kernel k = Mmd.gaussian(0.6);
        double observed = Mmd.unbiasedSquared(x, y, k);
        int atLeast = 0;
        int splits = 0;
        for (int mask = 0; mask < 256; mask++) {
            if (Integer.bitCount(mask) != 4) {
                continue;
            }
            double[][] a = new double[4][];
            double[][] b = new double[4][];
            int ia = 0;
            int ib = 0;
            for (int i = 0; i < 8; i++) {
                if ((mask & (1 << i)) != 0) {
                    a[ia++] = pooled[i];
                } else {
                    b[ib++] = pooled[i];
                }
            }
            splits++;
            if (Mmd.unbiasedSquared(a, b, k) >= observed - 1e-9) {
                atLeast++;
            }
        }
        assertEquals(70, splits);
        double exact = (double) atLeast / splits;
        int permutations = 20_000;
        double estimated = ToyMetrics.mmdTest(x, y, 0.6, permutations, 3).pValue();
        assertTrue(exact > 0.02 && exact < 0.5, "the example should have a p-value inside (0, 1): " + exact);
        assertEquals(exact, estimated, 4 * Math.sqrt(exact * (1 - exact) / permutations) + 1.0 / permutations);
    }

    /** Under the null the p-values are uniform: 200 pairs of samples of the same distribution, 5% rejected. */
    @Test
    void permutationTestHoldsItsLevelUnderTheNull() {
        int reps = 200;
        double[] pValues = new double[reps];
        int rejected = 0;
        for (int r = 0; r < reps; r++) {
            pValues[r] = ToyMetrics.mmdTest(data(100, 1000 + r), data(100, 5000 + r), 0.5, 99, r).pValue();
            if (pValues[r] <= 0.05) {
                rejected++;
            }
        }
        // Binomial(200, 0.05): mean 10, sd 3.1.
        assertTrue(rejected >= 2 && rejected <= 20, "rejected " + rejected + " of " + reps);
        // p = (1 + count) / 100 is discrete; compare with the uniform distribution on (0, 1].
        assertTrue(Stats.ksPValue(pValues, p -> Math.min(1, Math.max(0, p))) > 0.001, "p-values are not uniform");
    }

    @Test
    void testKeepsFreshDataAndRejectsTheRingAtN2000() {
        double[][] reference = data(2000, 99);
        var same = ToyMetrics.mmdTest(data(2000, 100), reference, ToyMetrics.BANDWIDTH, 200, 1);
        var ring = ToyMetrics.mmdTest(ring(2000, 0.12, 3), reference, ToyMetrics.BANDWIDTH, 200, 1);
        assertTrue(same.pValue() > 0.05, "fresh data rejected: " + same);
        assertEquals(1.0 / 201, ring.pValue(), 1e-12, "ring not rejected: " + ring);
        assertTrue(ring.mmdSquared() > 0.01, ring.toString());
    }

    /**
     * Why the toy metrics state a bandwidth: the median heuristic sets it to the ring's diameter
     * scale (about 4), where a Gaussian kernel no longer sees the clusters, and the ring passes.
     */
    @Test
    void theMedianHeuristicBandwidthDoesNotSeeTheRing() {
        double[][] reference = data(2000, 99);
        double median = ToyMetrics.medianDistance(reference);
        assertEquals(4.0, median, 0.15);
        assertTrue(ToyMetrics.mmdTest(ring(2000, 0.12, 3), reference, median, 200, 1).pValue() > 0.05);
    }

    @Test
    void medianDistanceOfSmallSets() {
        assertEquals(2, ToyMetrics.medianDistance(new double[][] {{0, 0}, {1, 0}, {3, 0}}), 1e-12); // 1, 2, 3
        assertEquals(3.5, ToyMetrics.medianDistance(new double[][] {{0, 0}, {0, 1}, {0, 3}, {0, 7}}), 1e-12); // 1 2 3 4 6 7
    }

    @Test
    void scoreAndTable() {
        double[][] reference = data(300, 11);
        var rows = List.of(ToyMetrics.score("fresh data", EIGHT, data(300, 12), reference, ToyMetrics.BANDWIDTH, 50, 1),
                ToyMetrics.score("ring", EIGHT, ring(300, 0.12, 13), reference, ToyMetrics.BANDWIDTH, 50, 1));
        Table table = ToyMetrics.table("toy", rows);
        assertEquals(2, table.rowCount());
        assertEquals("ring", table.stringColumn("samples").get(1));
        assertTrue(table.doubleColumn("mean log-density").get(1) < table.doubleColumn("mean log-density").get(0) - 0.3);
        assertTrue(table.doubleColumn("within 2 sd").get(1) < 0.75);
        assertThrows(IllegalArgumentException.class, () -> ToyMetrics.mmdTest(reference, new double[1][2], 0.5, 10, 0));
        assertThrows(UnsupportedOperationException.class,
                () -> ToyMetrics.shareNearCentre(Toy2D.TWO_MOONS, reference, 2));
    }
}
