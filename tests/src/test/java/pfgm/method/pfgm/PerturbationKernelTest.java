package pfgm.method.pfgm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.apache.commons.math3.distribution.FDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pfgm.Arrays2;
import pfgm.ManagedArrays;
import pfgm.Stats;
import pfgm.util.Rng;

class PerturbationKernelTest extends ManagedArrays {
    static final double SIGMA = 0.01;
    static final double TAU = 0.03;
    static final int M = 291;
    static final int N = 64;
    static final int COUNT = 4000;
    static double[][] data;
    static double[][] perturbed;

    @BeforeAll
    static void perturb() {
        NDArray batch = new Rng(7).uniform(manager, new Shape(COUNT, N), -1, 1);
        data = Arrays2.rows(batch);
        perturbed = Arrays2.rows(new PerturbationKernel(SIGMA, TAU, M, true).perturb(batch, new Rng(8)));
    }

    static double radius(int i) {
        double s = 0;
        for (int k = 0; k < N; k++) {
            double d = perturbed[i][k] - data[i][k];
            s += d * d;
        }
        return Math.sqrt(s);
    }

    /**
     * P(z <= a) = 2 int_0^inf phi_sigma(e) P_m(e (1+tau)^m <= a) de, with m ~ U[0, 0.7 M] (integer part)
     * where e < 0.005 and U[0, M] elsewhere, integrated numerically.
     */
    static double zCdf(double a) {
        NormalDistribution normal = new NormalDistribution(0, SIGMA);
        double[] grid = Stats.linspace(1e-9, 10 * SIGMA, 20_001);
        double total = 0;
        for (int i = 1; i < grid.length; i++) {
            double e = (grid[i] + grid[i - 1]) / 2;
            double mMax = e < 0.005 ? (int) (0.7 * M) : M;
            double mNeeded = Math.log(a / e) / Math.log(1 + TAU);
            double probability = Math.min(1, Math.max(0, mNeeded / mMax));
            total += 2 * normal.density(e) * probability * (grid[i] - grid[i - 1]);
        }
        return total;
    }

    @Test
    void heightsFollowTheKernelsMixtureLaw() {
        double[] z = new double[COUNT];
        for (int i = 0; i < COUNT; i++) {
            z[i] = perturbed[i][N];
        }
        assertTrue(java.util.Arrays.stream(z).allMatch(v -> v >= 0));
        double p = Stats.ksPValue(java.util.Arrays.copyOf(z, 1500), PerturbationKernelTest::zCdf);
        assertTrue(p > 0.01, "KS p-value " + p);
    }

    /** r / z = ||eps_x|| / |eps_z| whatever m is, so (r / z)^2 / N follows F(N, 1). */
    @Test
    void radiusOverHeightFollowsTheFDistribution() {
        double[] ratio = new double[COUNT];
        for (int i = 0; i < COUNT; i++) {
            double r = radius(i) / perturbed[i][N];
            ratio[i] = r * r / N;
        }
        FDistribution f = new FDistribution(N, 1);
        double p = Stats.ksPValue(ratio, f::cumulativeProbability);
        assertTrue(p > 0.01, "KS p-value " + p);
    }

    @Test
    void radiusGrowsLikeOnePlusTauToTheM() {
        // E[log r] = E[log ||eps_x||] + log(1+tau) E[m]; E[m] mixes 0.7 M and M by P(|eps_z| < 0.005).
        double small = 2 * new NormalDistribution(0, SIGMA).cumulativeProbability(0.005) - 1;
        double meanM = small * (int) (0.7 * M) / 2.0 + (1 - small) * M / 2.0;
        double meanLogEps = Math.log(SIGMA * Math.sqrt(N)); // chi_N concentrates at sqrt(N) for N = 64
        double meanLogR = 0;
        for (int i = 0; i < COUNT; i++) {
            meanLogR += Math.log(radius(i)) / COUNT;
        }
        // sd of log r is about log(1+tau) M / sqrt(12), so 4 standard errors:
        double tolerance = 4 * Math.log(1 + TAU) * M / Math.sqrt(12) / Math.sqrt(COUNT) + 0.01;
        assertEquals(meanLogEps + Math.log(1 + TAU) * meanM, meanLogR, tolerance);
    }

    @Test
    void badHyperParametersAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new PerturbationKernel(-0.01, TAU, M, true));
        assertThrows(IllegalArgumentException.class, () -> new PerturbationKernel(SIGMA, TAU, 0, true));
    }
}
