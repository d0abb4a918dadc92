package pfgm.ode;

import ai.djl.ndarray.NDArray;

/** The right-hand side dy/dt = f(t, y) of an ODE whose state is an NDArray. */
@FunctionalInterface
public interface Drift {
    NDArray at(double t, NDArray y);
}
