package pfgm.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import org.junit.jupiter.api.Test;
import pfgm.ManagedArrays;

class SolversTest extends ManagedArrays {

    /** y0' = y1, y1' = -y0: a rotation, y(t) = (cos t, -sin t) from (1, 0). */
    static final Drift ROTATION = (t, y) -> {
        double[] v = y.toDoubleArray();
        return y.getManager().create(new double[] {v[1], -v[0]});
    };

    /**
     * scipy 1.17.1, solve_ivp(f, (0, 10), [1, 0], method="RK45", rtol=1e-4, atol=1e-4) on the
     * rotation: nfev = 98, y(10) = (-0.83860378, 0.54432818). Measured on this machine once.
     */
    @Test
    void rk45MatchesScipyOnTheRotation() {
        Solution s = new RK45(1e-4, 1e-4).solve(ROTATION, manager.create(new double[] {1, 0}), 0, 10, false);
        double[] y = s.y().toDoubleArray();
        assertEquals(98, s.nfe(), "scipy's nfev");
        assertEquals(-0.83860378, y[0], 1e-6);
        assertEquals(0.54432818, y[1], 1e-6);
        assertEquals(Math.cos(10), y[0], 2e-3);
        assertEquals(-Math.sin(10), y[1], 2e-3);
    }

    /** scipy: the same problem integrated backward from t = 10 to 0 also takes nfev = 98. */
    @Test
    void rk45IntegratesBackwardInTime() {
        Solution s = new RK45(1e-4, 1e-4).solve(ROTATION,
                manager.create(new double[] {Math.cos(10), -Math.sin(10)}), 10, 0, true);
        double[] y = s.y().toDoubleArray();
        assertEquals(98, s.nfe(), "scipy's nfev");
        assertEquals(1, y[0], 2e-3);
        assertEquals(0, y[1], 2e-3);
        assertEquals(10.0, s.times().get(0));
        assertEquals(0.0, s.times().get(s.times().size() - 1));
        assertEquals(s.times().size(), s.path().size());
    }

    /** 64 decays y_i' = -k_i y_i, k from 0.1 to 3, over [0, 5]; scipy: nfev = 68. */
    @Test
    void rk45UsesTheRmsNormOverTheWholeState() {
        double[] k = new double[64];
        double[] ones = new double[64];
        for (int i = 0; i < 64; i++) {
            k[i] = 0.1 + 2.9 * i / 63;
            ones[i] = 1;
        }
        NDArray rates = manager.create(k);
        Solution s = new RK45(1e-4, 1e-4).solve((t, y) -> y.mul(rates).neg(), manager.create(ones), 0, 5, false);
        assertEquals(68, s.nfe(), "scipy's nfev");
        double[] y = s.y().toDoubleArray();
        for (int i = 0; i < 64; i++) {
            assertEquals(Math.exp(-5 * k[i]), y[i], 1e-4);
        }
    }

    /** y' = -2 t y, y(0) = 1: y(3) = exp(-9). scipy at rtol 1e-6, atol 1e-8: nfev = 236, error 2.4e-9. */
    @Test
    void rk45ReachesTightTolerances() {
        Solution s = new RK45(1e-6, 1e-8).solve((t, y) -> y.mul(-2 * t), manager.create(new double[] {1}), 0, 3, false);
        assertEquals(236, s.nfe(), "scipy's nfev");
        assertEquals(Math.exp(-9), s.y().toDoubleArray()[0], 1e-8);
    }

    @Test
    void rk45ReportsNanDrifts() {
        var e = assertThrows(IllegalStateException.class, () -> new RK45(1e-4, 1e-4)
                .solve((t, y) -> y.mul(Double.NaN), manager.create(new double[] {1}), 0, 1, false));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    }

    /** On y' = -y over [0, 1] the global error falls by 2x (Euler) and 4x (Heun) when steps double. */
    @Test
    void fixedStepSolversHaveTheirOrder() {
        Drift decay = (t, y) -> y.neg();
        double exact = Math.exp(-1);
        for (var order : new Object[][] {{"euler", 2.0, 1}, {"heun", 4.0, 2}}) {
            double[] errors = new double[2];
            for (int i = 0; i < 2; i++) {
                int steps = 50 * (1 << i);
                OdeSolver solver = order[0].equals("euler") ? new FixedStepSolver.Euler(steps) : new FixedStepSolver.Heun(steps);
                Solution s = solver.solve(decay, manager.create(new double[] {1}), 0, 1, false);
                assertEquals(steps * (int) order[2], s.nfe());
                errors[i] = Math.abs(s.y().toDoubleArray()[0] - exact);
            }
            assertEquals((double) order[1], errors[0] / errors[1], 0.1, order[0] + " error ratio");
        }
    }

    @Test
    void badStepCountsAndTolerancesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new FixedStepSolver.Euler(0));
        assertThrows(IllegalArgumentException.class, () -> new RK45(0, 1e-4));
    }
}
