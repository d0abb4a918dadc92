package pfgm.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import pfgm.util.Rng;

class SlicedWassersteinTest {

    static double[][] gaussian(int n, double meanX, double meanY, Rng rng) {
        double[][] points = new double[n][];
        for (int i = 0; i < n; i++) {
            points[i] = new double[] {meanX + rng.nextGaussian(), meanY + rng.nextGaussian()};
        }
        return points;
    }

    /**
     * Projections of N(mu, I) and N(0, I) on theta differ by a shift theta.mu, so
     * SW2^2 = E[(theta.mu)^2] = |mu|^2 / 2 in two dimensions.
     */
    @Test
    void shiftedGaussiansMatchTheClosedForm() {
        Rng rng = new Rng(1);
        double d = SlicedWasserstein.distance(gaussian(20_000, 3, 4, rng), gaussian(20_000, 0, 0, rng), 400, rng);
        assertEquals(5 / Math.sqrt(2), d, 0.1);
    }

    @Test
    void identicalSetsAreAtDistanceZero() {
        Rng rng = new Rng(2);
        double[][] a = gaussian(500, 1, 1, rng);
        assertEquals(0, SlicedWasserstein.distance(a, a.clone(), 50, rng), 1e-12);
    }

    @Test
    void unequalSetsAreRejected() {
        Rng rng = new Rng(3);
        assertThrows(IllegalArgumentException.class,
                () -> SlicedWasserstein.distance(gaussian(5, 0, 0, rng), gaussian(6, 0, 0, rng), 10, rng));
    }
}
