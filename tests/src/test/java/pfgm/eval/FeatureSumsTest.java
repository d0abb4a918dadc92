package pfgm.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import pfgm.util.Rng;

/** The mergeable sums of features against the two-pass Gaussian fit of all rows at once. */
class FeatureSumsTest {

    /** Non-negative, correlated rows with a mean far from 0 (as ReLU features are): what makes sum x x^T - n mu mu^T lose digits. */
    static double[][] reluFeatures(int n, int d, long seed) {
        Rng rng = new Rng(seed);
        double[][] rows = new double[n][d];
        for (int i = 0; i < n; i++) {
            double shared = rng.nextGaussian();
            for (int k = 0; k < d; k++) {
                rows[i][k] = Math.max(0, 1.5 + 0.3 * k % 2 + shared + rng.nextGaussian());
            }
        }
        return rows;
    }

    /** By hand: rows (1, 2), (3, 4), (5, 0) have mean (3, 2), variances 4 and 4, covariance -2. */
    @Test
    void aSmallSetByHand() {
        GaussianStats s = FeatureSums.of(new double[][] {{1, 2}, {3, 4}, {5, 0}}).stats();
        assertEquals(3, s.mu()[0], 1e-15);
        assertEquals(2, s.mu()[1], 1e-15);
        assertEquals(4, s.sigma().get(0, 0), 1e-14);
        assertEquals(4, s.sigma().get(1, 1), 1e-14);
        assertEquals(-2, s.sigma().get(0, 1), 1e-14);
        assertEquals(-2, s.sigma().get(1, 0), 1e-14);
    }

    /** Parts of uneven sizes (one of a single row) merged: the fit and FID of all rows at once, to 1e-9 relative. */
    @Test
    void mergedPartsGiveTheFitAndFidOfAllRows() {
        double[][] all = reluFeatures(1000, 24, 1);
        int[] cuts = {0, 1, 8, 300, 611, 1000};
        FeatureSums merged = null;
        for (int i = 0; i + 1 < cuts.length; i++) {
            FeatureSums part = FeatureSums.of(Arrays.copyOfRange(all, cuts[i], cuts[i + 1]));
            merged = merged == null ? part : merged.plus(part);
        }
        assertEquals(1000, merged.count());
        GaussianStats twoPass = GaussianStats.of(all);
        GaussianStats fromSums = merged.stats();
        double scale = Arrays.stream(twoPass.sigma().getData()).map(Math::abs).max().orElseThrow();
        for (int k = 0; k < 24; k++) {
            assertEquals(twoPass.mu()[k], fromSums.mu()[k], 1e-12 * Math.abs(twoPass.mu()[k]));
        }
        for (int k = 0; k < 24 * 24; k++) {
            assertEquals(twoPass.sigma().getData()[k], fromSums.sigma().getData()[k], 1e-11 * scale);
        }
        GaussianStats reference = GaussianStats.of(reluFeatures(800, 24, 2));
        double fid = Fid.distance(twoPass, reference);
        assertTrue(fid > 0.01, "a FID far enough from 0 that relative agreement means something: " + fid);
        assertEquals(fid, Fid.distance(fromSums, reference), 1e-9 * fid);
    }

    @Test
    void badInputIsRefused() {
        FeatureSums a = FeatureSums.of(new double[][] {{1, 2}});
        FeatureSums b = FeatureSums.of(new double[][] {{1, 2, 3}});
        assertTrue(assertThrows(IllegalArgumentException.class, () -> a.plus(b)).getMessage().contains("dimensions: 2 and 3"));
        assertTrue(assertThrows(IllegalArgumentException.class, a::stats).getMessage().contains("at least 2"));
        assertThrows(IllegalArgumentException.class, () -> new FeatureSums(2, new double[2], new double[3]));
    }
}
