package pfgm.ode;

import ai.djl.ndarray.NDArray;

/**
 * Integrates dy/dt = f(t, y) from t0 to t1 (either direction). The solver treats the whole array
 * as one state vector, as scipy does with a flattened batch.
 */
public interface OdeSolver {
    /**
     * Integrates a flow from its start to its end (fixed-step solvers along its grid).
     *
     * @param keepPath also return every accepted state (for plotting trajectories)
     */
    Solution solve(Flow flow, NDArray y0, boolean keepPath);

    /** Integrates dy/dt = f(t, y) from t0 to t1 (fixed steps uniform in t). */
    default Solution solve(Drift f, NDArray y0, double t0, double t1, boolean keepPath) {
        return solve(Flow.uniform(f, t0, t1), y0, keepPath);
    }

    /** A short name for tables and file names, such as "euler-100" or "rk45". */
    String name();
}
