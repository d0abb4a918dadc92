package pfgm.ode;

import ai.djl.ndarray.NDArray;
import java.util.function.DoubleConsumer;
import java.util.function.DoubleUnaryOperator;
import java.util.function.IntFunction;
import pfgm.util.Scopes;

/**
 * A probability-flow ODE dx/dt = drift(t, x) of a generative method, carrying prior samples at
 * time {@code start} to data at time {@code end}; fixed-step solvers with n steps visit the n + 1
 * times of {@code grid(n)} (uniform in t unless the method says otherwise, such as EDM's rho
 * schedule, which may end past {@code end} at a point where the drift is undefined).
 *
 * @param drift dx/dt in the method's own time (log z for PFGM, t for the SDEs, sigma for PFGM++)
 * @param start where the prior sits
 * @param end where the data is reached
 * @param grid the times of n fixed steps, grid(n)[0] = start
 * @param clock a monotone function of time in which the grid is about evenly spaced (log z for
 *     PFGM's heights, sigma^(1/rho) for EDM's schedule): progress is reported in it
 */
public record Flow(Drift drift, double start, double end, IntFunction<double[]> grid, DoubleUnaryOperator clock) {

    /** A flow whose fixed steps are uniform in t. */
    public static Flow uniform(Drift drift, double start, double end) {
        return new Flow(drift, start, end, n -> uniformGrid(start, end, n), DoubleUnaryOperator.identity());
    }

    /** n + 1 equally spaced times from a to b, ending exactly at b. */
    public static double[] uniformGrid(double a, double b, int n) {
        double[] times = new double[n + 1];
        for (int i = 0; i < n; i++) {
            times[i] = a + i * (b - a) / n;
        }
        times[n] = b;
        return times;
    }

    /**
     * The same ODE from the data to the prior (encoding, likelihood): fixed steps walk the grid
     * backwards, or go uniformly when the grid runs on past the end (EDM's, to sigma = 0).
     */
    public Flow reversed() {
        return new Flow(drift, end, start, n -> {
            double[] forward = grid.apply(n);
            if (forward[n] != end) {
                return uniformGrid(end, start, n);
            }
            double[] backward = new double[n + 1];
            for (int i = 0; i <= n; i++) {
                backward[i] = forward[n - i];
            }
            return backward;
        }, clock);
    }

    /** This flow with the drift replaced. */
    public Flow withDrift(Drift value) {
        return new Flow(value, start, end, grid, clock);
    }

    /**
     * Tells {@code fractionDone} after each evaluation how far from start to end the solver has
     * come, measured on the flow's clock.
     */
    public Flow reportingProgress(DoubleConsumer fractionDone) {
        double from = clock.applyAsDouble(start);
        double span = clock.applyAsDouble(end) - from;
        return withDrift(wrap(drift, (t, y) -> {
            double fraction = (clock.applyAsDouble(t) - from) / span;
            fractionDone.accept(Double.isNaN(fraction) ? 1 : Math.min(1, Math.max(0, fraction)));
            return drift.at(t, y);
        }));
    }

    /**
     * The flow with each evaluation's temporaries (a network's activations) freed as soon as it
     * returns: without this, RK45's six stages keep six forward passes' activations alive at once.
     * Only for gradient-free solves: the likelihood differentiates through the drift.
     */
    public Flow withoutTemporaries() {
        return withDrift(wrap(drift, (t, y) -> Scopes.keep(() -> drift.at(t, y))));
    }

    /** {@code body} as a drift that keeps {@code original}'s domain. */
    private static Drift wrap(Drift original, Drift body) {
        return new Drift() {
            @Override
            public NDArray at(double t, NDArray y) {
                return body.at(t, y);
            }

            @Override
            public boolean definedAt(double t) {
                return original.definedAt(t);
            }
        };
    }
}
