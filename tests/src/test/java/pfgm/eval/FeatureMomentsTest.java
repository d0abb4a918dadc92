package pfgm.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import pfgm.util.Rng;

/** Merged feature moments against the two-pass Gaussian fit of all rows at once. */
class FeatureMomentsTest {

    /** Correlated rows with the given mean and spread. */
    static double[][] features(int n, int d, double mean, double spread, long seed) {
        Rng rng = new Rng(seed);
        double[][] rows = new double[n][d];
        for (int i = 0; i < n; i++) {
            double shared = rng.nextGaussian();
            for (int k = 0; k < d; k++) {
                rows[i][k] = mean + 0.3 * (k % 3) + spread * (shared + rng.nextGaussian());
            }
        }
        return rows;
    }

    /** The rows cut into parts of uneven sizes (one of a single row), each part's moments merged in order. */
    static FeatureMoments mergedParts(double[][] all, int... cuts) {
        FeatureMoments merged = null;
        for (int i = 0; i + 1 < cuts.length; i++) {
            FeatureMoments part = FeatureMoments.of(Arrays.copyOfRange(all, cuts[i], cuts[i + 1]));
            merged = merged == null ? part : merged.plus(part);
        }
        return merged;
    }

    /** Largest difference between two fits, relative to the largest covariance entry. */
    static double covarianceError(GaussianStats expected, GaussianStats actual) {
        double scale = Arrays.stream(expected.sigma().getData()).map(Math::abs).max().orElseThrow();
        double worst = 0;
        for (int k = 0; k < expected.sigma().getData().length; k++) {
            worst = Math.max(worst, Math.abs(expected.sigma().getData()[k] - actual.sigma().getData()[k]) / scale);
        }
        return worst;
    }

    /** By hand: rows (1, 2), (3, 4), (5, 0) have mean (3, 2), variances 4 and 4, covariance -2; merged from (1, 2) and the rest. */
    @Test
    void aSmallSetByHand() {
        double[][] rows = {{1, 2}, {3, 4}, {5, 0}};
        GaussianStats s = mergedParts(rows, 0, 1, 3).stats();
        assertEquals(3, s.mu()[0], 1e-15);
        assertEquals(2, s.mu()[1], 1e-15);
        assertEquals(4, s.sigma().get(0, 0), 1e-14);
        assertEquals(4, s.sigma().get(1, 1), 1e-14);
        assertEquals(-2, s.sigma().get(0, 1), 1e-14);
        assertEquals(-2, s.sigma().get(1, 0), 1e-14);
    }

    @Test
    void mergedPartsGiveTheFitAndFidOfAllRows() {
        double[][] all = features(1000, 24, 1.5, 1, 1);
        FeatureMoments merged = mergedParts(all, 0, 1, 8, 300, 611, 1000);
        assertEquals(1000, merged.count());
        GaussianStats twoPass = GaussianStats.of(all);
        GaussianStats fromMoments = merged.stats();
        for (int k = 0; k < 24; k++) {
            assertEquals(twoPass.mu()[k], fromMoments.mu()[k], 1e-14 * Math.abs(twoPass.mu()[k]));
        }
        assertTrue(covarianceError(twoPass, fromMoments) < 1e-13, "" + covarianceError(twoPass, fromMoments));
        GaussianStats reference = GaussianStats.of(features(800, 24, 1.4, 1.1, 2));
        double fid = Fid.distance(twoPass, reference);
        assertTrue(fid > 0.01, "a FID far enough from 0 that relative agreement means something: " + fid);
        assertEquals(fid, Fid.distance(fromMoments, reference), 1e-9 * fid);
    }

    /**
     * Features whose spread is 1e-5 of their mean (an undertrained model's near-identical samples):
     * the merge keeps the covariance to 1e-9, where EDM's raw sums (sum x x^T - n mu mu^T, computed
     * here for comparison) lose it entirely.
     */
    @Test
    void theMergeKeepsASmallSpreadThatRawSumsLose() {
        double[][] all = features(1000, 8, 100, 1e-3, 3);
        GaussianStats twoPass = GaussianStats.of(all);
        assertTrue(covarianceError(twoPass, mergedParts(all, 0, 1, 8, 300, 611, 1000).stats()) < 1e-9);
        int n = all.length;
        double[] sum = new double[8];
        double[] outer = new double[64];
        for (double[] row : all) {
            for (int r = 0; r < 8; r++) {
                sum[r] += row[r];
                for (int c = 0; c < 8; c++) {
                    outer[r * 8 + c] += row[r] * row[c];
                }
            }
        }
        double[] sigma = new double[64];
        for (int k = 0; k < 64; k++) {
            sigma[k] = (outer[k] - sum[k / 8] * sum[k % 8] / n) / (n - 1);
        }
        double rawError = covarianceError(twoPass, new GaussianStats(sum, new org.ejml.data.DMatrixRMaj(8, 8, true, sigma)));
        assertTrue(rawError > 1e-6, "raw sums lose the covariance here: " + rawError);
    }

    @Test
    void badInputIsRefused() {
        FeatureMoments a = FeatureMoments.of(new double[][] {{1, 2}});
        FeatureMoments b = FeatureMoments.of(new double[][] {{1, 2, 3}});
        assertTrue(assertThrows(IllegalArgumentException.class, () -> a.plus(b)).getMessage().contains("dimensions: 2 and 3"));
        assertTrue(assertThrows(IllegalArgumentException.class, a::stats).getMessage().contains("at least 2"));
        assertThrows(IllegalArgumentException.class, () -> new FeatureMoments(2, new double[2], new double[3]));
        assertThrows(IllegalArgumentException.class, () -> FeatureMoments.of(new double[0][]));
    }
}
