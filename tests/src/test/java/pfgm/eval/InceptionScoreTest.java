package pfgm.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import pfgm.util.Rng;

class InceptionScoreTest {

    /** Confident predictions spread evenly over K classes score K; one shared prediction scores 1. */
    @Test
    void extremesAreKAndOne() {
        int k = 7;
        double[][] confident = new double[10 * k * 3][k];
        for (int i = 0; i < confident.length; i++) {
            confident[i][i % k] = 1;
        }
        InceptionScore.Result best = InceptionScore.of(confident);
        assertEquals(k, best.mean(), 1e-12);
        assertEquals(0, best.std(), 1e-12);
        double[][] same = new double[100][];
        java.util.Arrays.fill(same, new double[] {0.2, 0.5, 0.3});
        assertEquals(1, InceptionScore.of(same).mean(), 1e-12);
    }

    /**
     * The mean KL divergence to the marginal equals the mutual information H(mean p) - mean H(p):
     * an independent way to the same number, per split.
     */
    @Test
    void agreesWithTheMutualInformationForm() {
        Rng rng = new Rng(3);
        int n = 1000;
        int k = 10;
        double[][] p = new double[n][k];
        for (double[] row : p) {
            double sum = 0;
            for (int c = 0; c < k; c++) {
                row[c] = Math.pow(rng.nextDouble(), 4); // peaked, uneven rows
                sum += row[c];
            }
            for (int c = 0; c < k; c++) {
                row[c] /= sum;
            }
        }
        int splits = 10;
        double[] expected = new double[splits];
        for (int s = 0; s < splits; s++) {
            double[] marginal = new double[k];
            double meanEntropy = 0;
            for (int i = s * n / splits; i < (s + 1) * n / splits; i++) {
                for (int c = 0; c < k; c++) {
                    marginal[c] += p[i][c] * splits / n;
                    meanEntropy -= p[i][c] * Math.log(p[i][c]) * splits / n;
                }
            }
            double marginalEntropy = 0;
            for (double m : marginal) {
                marginalEntropy -= m * Math.log(m);
            }
            expected[s] = Math.exp(marginalEntropy - meanEntropy);
        }
        double mean = java.util.Arrays.stream(expected).average().orElseThrow();
        double std = Math.sqrt(java.util.Arrays.stream(expected).map(e -> (e - mean) * (e - mean)).sum() / splits);
        InceptionScore.Result r = InceptionScore.of(p, splits);
        assertEquals(mean, r.mean(), 1e-10);
        assertEquals(std, r.std(), 1e-10);
        assertTrue(r.mean() > 1 && r.mean() < k, "between the extremes: " + r.mean());
    }

    @Test
    void classHistogramCountsTheArgmax() {
        double[][] p = {{0.1, 0.9, 0}, {0.6, 0.3, 0.1}, {0.2, 0.7, 0.1}, {0, 0.4, 0.6}};
        FeatureSet set = new FeatureSet(new double[4][1], p);
        assertArrayEquals(new int[] {1, 2, 1}, set.classHistogram());
        assertArrayEquals(new int[] {1, 0, 1, 2}, set.predictedClasses());
    }

    @Test
    void aNetworkWithoutLogitsSaysSo() {
        var e = assertThrows(IllegalArgumentException.class, () -> InceptionScore.of(null));
        assertTrue(e.getMessage().contains("(features, logits)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> InceptionScore.of(new double[5][3], 10));
    }
}
