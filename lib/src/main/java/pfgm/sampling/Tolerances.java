package pfgm.sampling;

import static pfgm.util.Checks.require;

/**
 * RK45's error control (scipy's solve_ivp): a step is accepted when its error is below
 * atol + rtol |y| in the RMS norm. The PFGM paper samples with 1e-4, score-SDE with 1e-5.
 */
public record Tolerances(double rtol, double atol) {
    public Tolerances {
        require(rtol > 0 && atol > 0, "sampling: rtol and atol must be > 0, got rtol=" + rtol + " atol=" + atol);
    }
}
