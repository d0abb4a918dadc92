package pfgm.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pfgm.util.Rng;

class FidTest {
    @TempDir
    Path dir;

    /** Deterministic features both this test and the Python reference compute. */
    static double[][] features(int n, int d, double shift) {
        double[][] f = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                f[i][k] = Math.sin(i * 0.37 + k * 1.3 + shift) + 0.5 * Math.cos(i * k * 0.011 + shift) + 0.1 * k * shift;
            }
        }
        return f;
    }

    @Test
    void aSetAgainstItselfIsZero() {
        GaussianStats s = GaussianStats.of(features(200, 16, 0));
        assertEquals(0, Fid.distance(s, s), 1e-6);
        GaussianStats rankDeficient = GaussianStats.of(features(10, 64, 0.3)); // 10 samples, 64 dims
        assertEquals(0, Fid.distance(rankDeficient, rankDeficient), 1e-6);
    }

    /** For diagonal covariances FID = |dmu|^2 + sum (sqrt(s1) - sqrt(s2))^2. */
    @Test
    void twoKnownGaussiansMatchTheClosedForm() {
        double[] s1 = {1, 4, 0.25, 9};
        double[] s2 = {2, 1, 0.25, 16};
        GaussianStats a = new GaussianStats(new double[] {0, 1, 2, 3}, diag(s1));
        GaussianStats b = new GaussianStats(new double[] {1, 1, 0, 3}, diag(s2));
        double expected = 1 + 4;
        for (int i = 0; i < 4; i++) {
            expected += Math.pow(Math.sqrt(s1[i]) - Math.sqrt(s2[i]), 2);
        }
        assertEquals(expected, Fid.distance(a, b), 1e-10);
    }

    /**
     * pytorch-fid's formula (numpy.cov, scipy.linalg.sqrtm of sigma1 sigma2) on features(200, 16, 0)
     * and features(200, 16, 0.7), computed once with numpy 2.4.6 / scipy 1.17.1: 5.895161653120372.
     */
    @Test
    void agreesWithThePythonReference() {
        double fid = Fid.distance(GaussianStats.of(features(200, 16, 0)), GaussianStats.of(features(200, 16, 0.7)));
        assertEquals(5.895161653120372, fid, 1e-4 * 5.895161653120372);
    }

    @Test
    void statisticsRoundTripThroughNpzWithPytorchFidKeys() throws Exception {
        GaussianStats s = GaussianStats.of(features(50, 8, 0.2));
        Path file = dir.resolve("stats.npz");
        s.save(file);
        GaussianStats back = GaussianStats.load(file);
        assertEquals(0, Fid.distance(s, back), 1e-9);
        assertTrue(java.util.Arrays.equals(s.mu(), back.mu()));
        pfgm.io.NumPy.write(dir.resolve("bad.npz"), ai.djl.ndarray.NDManager.newBaseManager().zeros(new ai.djl.ndarray.types.Shape(3)));
        var e = assertThrows(IllegalArgumentException.class, () -> GaussianStats.load(dir.resolve("bad.npz")));
        assertTrue(e.getMessage().contains("'mu' and 'sigma'"), e.getMessage());
    }

    @Test
    void kidIsNearZeroForOneDistributionAndLargeForTwo() {
        Rng rng = new Rng(1);
        double[][] a = gaussian(600, 8, 0, rng);
        double[][] b = gaussian(600, 8, 0, rng);
        double[][] far = gaussian(600, 8, 2, rng);
        Kid.Result same = Kid.of(a, b, 20, 200, rng);
        Kid.Result different = Kid.of(a, far, 20, 200, rng);
        assertEquals(0, same.mean(), 3 * same.std() + 1e-3);
        assertTrue(different.mean() > 100 * Math.abs(same.mean()) && different.mean() > 0.5, different + " vs " + same);
    }

    /** The unbiased estimate on two tiny sets, against the kernel sums written out. */
    @Test
    void kidEstimatorMatchesItsFormula() {
        double[][] x = {{1, 0}, {0, 1}};
        double[][] y = {{1, 1}, {0, 0}};
        // k(a,b) = (a.b / 2 + 1)^3: k(x0,x1) = 1, k(y0,y1) = 1; cross: 1.5^3, 1.5^3, 1, 1.
        double expected = (2 * 1 + 2 * 1) / 2.0 - 2 * (2 * 3.375 + 2) / 4.0;
        assertEquals(expected, Kid.unbiasedMmd2(x, y), 1e-12);
    }

    @Test
    void precisionAndRecallOnConstructedCases() {
        Rng rng = new Rng(2);
        double[][] left = gaussian(200, 2, -10, rng);
        double[][] right = gaussian(200, 2, 10, rng);
        double[][] both = concat(left, right);
        var identical = PrecisionRecall.of(both, both, 3);
        assertEquals(1, identical.precision());
        assertEquals(1, identical.recall());
        var disjoint = PrecisionRecall.of(left, right, 3);
        assertEquals(0, disjoint.precision());
        assertEquals(0, disjoint.recall());
        // A generator that only makes the left mode: precise, but recalls about half the data.
        var collapsed = PrecisionRecall.of(both, gaussian(400, 2, -10, rng), 3);
        assertTrue(collapsed.precision() > 0.95, collapsed.toString());
        assertEquals(0.5, collapsed.recall(), 0.05);
    }

    /** The blocked matrix-product computation against the definition, distance by distance. */
    @Test
    void precisionAndRecallMatchABruteForceComputation() {
        Rng rng = new Rng(11);
        double[][] real = gaussian(300, 8, 0, rng);
        double[][] generated = gaussian(250, 8, 0.7, rng);
        var fast = PrecisionRecall.of(real, generated, 3);
        assertEquals(bruteCoverage(real, generated, 3), fast.precision(), 1e-12);
        assertEquals(bruteCoverage(generated, real, 3), fast.recall(), 1e-12);
        assertTrue(fast.precision() > 0.2 && fast.precision() < 0.95, fast.toString());
    }

    private static double bruteCoverage(double[][] manifold, double[][] queries, int k) {
        double[] radius = new double[manifold.length];
        for (int i = 0; i < manifold.length; i++) {
            double[] d = new double[manifold.length];
            for (int j = 0; j < manifold.length; j++) {
                d[j] = distance(manifold[i], manifold[j]);
            }
            java.util.Arrays.sort(d);
            radius[i] = d[k];
        }
        int inside = 0;
        for (double[] q : queries) {
            boolean in = false;
            for (int i = 0; i < manifold.length && !in; i++) {
                in = distance(q, manifold[i]) <= radius[i];
            }
            inside += in ? 1 : 0;
        }
        return (double) inside / queries.length;
    }

    private static double distance(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += (a[k] - b[k]) * (a[k] - b[k]);
        }
        return Math.sqrt(s);
    }

    static double[][] gaussian(int n, int d, double mean, Rng rng) {
        double[][] out = new double[n][d];
        for (double[] row : out) {
            for (int k = 0; k < d; k++) {
                row[k] = mean + rng.nextGaussian();
            }
        }
        return out;
    }

    static double[][] concat(double[][] a, double[][] b) {
        double[][] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static DMatrixRMaj diag(double[] values) {
        return org.ejml.dense.row.CommonOps_DDRM.diag(values);
    }
}
