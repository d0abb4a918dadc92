package pfgm.method.pfgm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import pfgm.Stats;
import pfgm.util.Rng;

class PriorTest {

    /** In 2-D data the Poisson kernel's radius has the closed-form CDF 1 - z / sqrt(R^2 + z^2). */
    @Test
    void radiiFollowTheClosedFormLawInTwoDimensions() {
        double z = 40;
        double[] radii = new Prior(2, z, 1e12).radii(3000, new Rng(1));
        double p = Stats.ksPValue(radii, r -> 1 - z / Math.sqrt(r * r + z * z));
        assertTrue(p > 0.01, "KS p-value " + p);
    }

    /**
     * At CIFAR-10 dimension the radius density R^(N-1) / (R^2 + z^2)^((N+1)/2) is integrated
     * numerically (in log R, out to 1e15) and compared by a KS test.
     */
    @Test
    void radiiFollowThePoissonKernelAtCifarDimension() {
        int n = 3072;
        double z = 43.41;
        double[] radii = new Prior(n, z, 1e15).radii(3000, new Rng(2));
        var cdfOfLogR = Stats.cdfFromDensity(Stats.linspace(0, Math.log(1e15), 400_000),
                u -> n * u - (n + 1) / 2.0 * Math.log(Math.exp(2 * u) + z * z));
        double p = Stats.ksPValue(Arrays.stream(radii).map(Math::log).toArray(), cdfOfLogR);
        assertTrue(p > 0.01, "KS p-value " + p);
    }

    @Test
    void clippingHoldsAndPilesTheTailOnUpperNorm() {
        int n = 3072;
        double z = 43.41;
        double upper = 3015.4;
        int count = 4000;
        double[] radii = new Prior(n, z, upper).radii(count, new Rng(3));
        assertTrue(Arrays.stream(radii).allMatch(r -> r >= 1 && r <= upper));
        // P(R > upper) = P(b > upper^2 / (upper^2 + z^2)) under Beta(N/2, 1/2).
        double tail = 1 - new org.apache.commons.math3.distribution.BetaDistribution(n / 2.0, 0.5)
                .cumulativeProbability(upper * upper / (upper * upper + z * z));
        long clipped = Arrays.stream(radii).filter(r -> r == upper).count();
        double sd = Math.sqrt(count * tail * (1 - tail));
        assertEquals(count * tail, clipped, 4 * sd, "clipped " + clipped + " of " + count + ", expected tail " + tail);
    }

    @Test
    void samplesHaveTheRadiiAndUniformDirections() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Prior prior = new Prior(16, 5, 100);
            var samples = prior.sample(manager, 2000, new Rng(4));
            double[] radii = prior.radii(2000, new Rng(4));
            double[][] rows = pfgm.Arrays2.rows(samples);
            for (int i = 0; i < rows.length; i++) {
                assertEquals(radii[i], pfgm.Arrays2.norm(rows[i]), 1e-4 * radii[i]);
            }
            // Each coordinate of a uniform unit vector has mean 0 and variance 1/N.
            double mean = Arrays.stream(rows).mapToDouble(r -> r[0] / pfgm.Arrays2.norm(r)).average().orElseThrow();
            assertEquals(0, mean, 5 / Math.sqrt(16 * 2000.0));
        }
    }
}
