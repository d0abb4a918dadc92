package pfgm.method.pfgm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import pfgm.Arrays2;
import pfgm.Stats;
import pfgm.util.Rng;

class FieldLinesTest {
    /**
     * A point charge's flux through the line z = delta (1-D data) has the Cauchy density
     * delta / (pi (x^2 + delta^2)), so |offset| has CDF (2 / pi) atan(|x| / delta).
     */
    @Test
    void offsetsFollowTheChargesFluxDensity() {
        try (NDManager manager = NDManager.newBaseManager()) {
            double delta = 0.01;
            var charges = manager.create(new float[] {-1, 3}, new Shape(2, 1));
            double[][] starts = Arrays2.rows(FieldLines.equalFluxStarts(charges, 1500, delta, new Rng(4)));
            assertEquals(3000, starts.length);
            double[] offsets = new double[starts.length];
            for (int i = 0; i < starts.length; i++) {
                offsets[i] = Math.abs(starts[i][0] - (i < 1500 ? -1 : 3)); // rows grouped by charge
            }
            double p = Stats.ksPValue(offsets, x -> 2 / Math.PI * Math.atan(x / delta));
            assertTrue(p > 0.01, "KS p-value " + p);
        }
    }
}
