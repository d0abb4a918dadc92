package pfgm.ode;

import ai.djl.ndarray.NDArray;

/** The right-hand side dy/dt = f(t, y) of an ODE whose state is an NDArray. */
@FunctionalInterface
public interface Drift {
    NDArray at(double t, NDArray y);

    /**
     * Whether f can be evaluated at time t. EDM's flow dx/dsigma = (x - D(x, sigma)) / sigma is not
     * defined at sigma = 0, where its last step ends: Heun takes an Euler step into such a point.
     */
    default boolean definedAt(double t) {
        return true;
    }
}
