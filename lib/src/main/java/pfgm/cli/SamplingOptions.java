package pfgm.cli;

import pfgm.config.SamplingConfig;
import picocli.CommandLine.Option;

/** The ODE and prior options of the commands that sample. */
final class SamplingOptions {
    @Option(names = "--solver", defaultValue = "rk45", description = "euler, heun or rk45 (default: ${DEFAULT-VALUE}).")
    String solver;

    @Option(names = "--steps", defaultValue = "100", description = "Steps (uniform in log z) for euler and heun (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--rtol", defaultValue = "1e-4", description = "RK45 relative tolerance (default: ${DEFAULT-VALUE}).")
    double rtol;

    @Option(names = "--atol", defaultValue = "1e-4", description = "RK45 absolute tolerance (default: ${DEFAULT-VALUE}).")
    double atol;

    @Option(names = "--z-max", description = "Prior plane height (default: the run's preset, or from the data's norm).")
    Double zMax;

    @Option(names = "--upper-norm", description = "Prior radius clip (default: the run's preset, or from the data's norm).")
    Double upperNorm;

    @Option(names = "--z-min", defaultValue = "1e-3", description = "Where the flow stops (default: ${DEFAULT-VALUE}).")
    double zMin;

    @Option(names = "--z-exp", description = "Below this z, v_z is inferred from ||v_x|| (appendix B.2.3); 0 = off (default: the run's preset, else 5).")
    Double zExp;

    @Option(names = "--seed", defaultValue = "0", description = "Random seed of the prior samples (default: ${DEFAULT-VALUE}).")
    long seed;

    /** The settings asked for, with z_max and upper_norm from the data's norm unless given, and the paper's z_exp 5. */
    SamplingConfig config(double defaultZMax, double defaultUpperNorm) {
        return config(defaultZMax, defaultUpperNorm, 5);
    }

    /** The settings asked for, with z_max, upper_norm and z_exp from a run's preset unless given. */
    SamplingConfig config(SamplingConfig preset) {
        return config(preset.zMax(), preset.upperNorm(), preset.zExp());
    }

    private SamplingConfig config(double defaultZMax, double defaultUpperNorm, double defaultZExp) {
        return new SamplingConfig(zMin, zMax != null ? zMax : defaultZMax, upperNorm != null ? upperNorm : defaultUpperNorm,
                zExp != null ? zExp : defaultZExp, solver, steps, rtol, atol);
    }

    /** Solver and step count for tables, e.g. "euler-100" or "rk45". */
    String label() {
        return solver.equals("rk45") ? solver : solver + "-" + steps;
    }
}
