package pfgm.sampling;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import pfgm.ode.FixedStepSolver;
import pfgm.ode.OdeSolver;
import pfgm.ode.RK45;

/** The samplers a preset can name: an ODE solver on the probability-flow ODE, or score-SDE's predictor-corrector. */
public enum Solver {
    EULER, HEUN, RK45, PC;

    /** Parses a solver name as presets and the command line write it (any case; heun's other names improved-euler, improved_euler). */
    public static Solver parse(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        if (n.equals("improved-euler") || n.equals("improved_euler")) {
            return HEUN;
        }
        for (Solver s : values()) {
            if (s.toString().equals(n)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown solver '" + name + "': use "
                + Arrays.stream(values()).map(Solver::toString).collect(Collectors.joining(", ")));
    }

    /** Whether it takes a fixed number of steps (all but RK45). */
    public boolean fixedSteps() {
        return this != RK45;
    }

    /** The ODE solver with these settings (not for pc, which is no ODE solver). */
    OdeSolver odeSolver(int steps, Tolerances tolerances) {
        return switch (this) {
            case EULER -> new FixedStepSolver.Euler(steps);
            case HEUN -> new FixedStepSolver.Heun(steps);
            case RK45 -> new pfgm.ode.RK45(tolerances.rtol(), tolerances.atol());
            case PC -> throw new IllegalArgumentException("the pc sampler is not an ODE solver");
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
