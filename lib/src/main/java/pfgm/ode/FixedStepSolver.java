package pfgm.ode;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import pfgm.util.Interrupts;
import pfgm.util.Scopes;

/**
 * Solvers with a fixed number of steps along the flow's time grid (uniform in log z for PFGM, in t
 * for the SDEs, EDM's rho schedule for PFGM++).
 */
public abstract sealed class FixedStepSolver implements OdeSolver {
    private final int steps;

    FixedStepSolver(int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("the number of steps must be >= 1, got " + steps);
        }
        this.steps = steps;
    }

    public int steps() {
        return steps;
    }

    /** One step from (t, y) to t + h; returns the new state and adds its evaluations to nfe[0]. */
    abstract NDArray step(Drift f, double t, NDArray y, double h, int[] nfe);

    @Override
    public Solution solve(Flow flow, NDArray y0, boolean keepPath) {
        double[] grid = flow.grid().apply(steps);
        Drift f = flow.drift();
        List<Double> times = new ArrayList<>(List.of(grid[0]));
        List<NDArray> path = new ArrayList<>(List.of(y0));
        int[] nfe = {0};
        NDArray y = y0;
        for (int i = 0; i < steps; i++) {
            Interrupts.check("sampling interrupted");
            double t = grid[i];
            double h = grid[i + 1] - t;
            NDArray current = y;
            NDArray next = Scopes.keep(() -> step(f, t, current, h, nfe));
            if (keepPath) {
                times.add(grid[i + 1]);
                path.add(next);
            } else if (current != y0) {
                current.close();
            }
            y = next;
        }
        return new Solution(y, nfe[0], keepPath ? times : List.of(), keepPath ? path : List.of());
    }

    /** Forward Euler: y + h f(t, y). */
    public static final class Euler extends FixedStepSolver {
        public Euler(int steps) {
            super(steps);
        }

        @Override
        NDArray step(Drift f, double t, NDArray y, double h, int[] nfe) {
            nfe[0]++;
            return y.add(f.at(t, y).mul(h));
        }

        @Override
        public String name() {
            return "euler-" + steps();
        }
    }

    /**
     * Improved Euler (Heun): an Euler predictor, then the average of both slopes; an Euler step
     * into a time where the drift is undefined (EDM's last step, to sigma = 0).
     */
    public static final class Heun extends FixedStepSolver {
        public Heun(int steps) {
            super(steps);
        }

        @Override
        NDArray step(Drift f, double t, NDArray y, double h, int[] nfe) {
            nfe[0]++;
            NDArray slope = f.at(t, y);
            NDArray predicted = y.add(slope.mul(h));
            if (!f.definedAt(t + h)) {
                return predicted;
            }
            nfe[0]++;
            return y.add(slope.add(f.at(t + h, predicted)).mul(h / 2));
        }

        @Override
        public String name() {
            return "heun-" + steps();
        }
    }
}
