package pfgm.sampling;

import static pfgm.util.Checks.require;

/**
 * How samples are drawn: a solver of the probability-flow ODE (euler, heun with {@code steps} steps
 * on the method's time grid; rk45 with its tolerances), or for the diffusion SDEs score-SDE's
 * predictor-corrector sampler (pc, {@code steps} predictor steps with the settings in {@code pc}).
 * {@link #sampler()} is where the sampler is chosen.
 *
 * @param solver euler, heun, rk45 or pc
 * @param steps steps of euler, heun and pc
 * @param rk45 RK45's tolerances
 * @param pc the predictor-corrector sampler's settings
 */
public record SamplingConfig(Solver solver, int steps, Tolerances rk45, PredictorCorrectorConfig pc) {
    public SamplingConfig {
        require(steps >= 1, "sampling: steps must be >= 1, got " + steps);
    }

    /** An ODE solver with its steps (euler, heun) or tolerances (rk45); pc's settings are score-SDE's for VP. */
    public static SamplingConfig ode(Solver solver, int steps, double rtol, double atol) {
        return new SamplingConfig(solver, steps, new Tolerances(rtol, atol), PredictorCorrectorConfig.scoreSde(false));
    }

    /** The PFGM paper's RK45 (rtol = atol = 1e-4). */
    public static SamplingConfig paper() {
        return ode(Solver.RK45, 100, 1e-4, 1e-4);
    }

    /** score-SDE's predictor-corrector sampler with {@code steps} steps and one corrector step (its RK45 tolerances 1e-5). */
    public static SamplingConfig predictorCorrector(PredictorCorrectorConfig.Predictor predictor,
            PredictorCorrectorConfig.Corrector corrector, double snr, int steps) {
        return new SamplingConfig(Solver.PC, steps, new Tolerances(1e-5, 1e-5), new PredictorCorrectorConfig(predictor, corrector, snr, 1));
    }

    /** The sampler these settings describe. */
    public Sampler sampler() {
        return solver == Solver.PC ? new PredictorCorrector(steps, pc) : new OdeSampler(solver.odeSolver(steps, rk45));
    }

    /** This configuration with another solver and step count (tolerances and pc settings kept). */
    public SamplingConfig withSolver(Solver value, int numberOfSteps) {
        return new SamplingConfig(value, numberOfSteps, rk45, pc);
    }

    /**
     * This configuration with the sampler a label names, as {@link #label} writes it and tables and
     * ablation grids use it: "euler-100", "heun-18", "pc-1000", or "rk45" (its tolerances kept).
     */
    public SamplingConfig withSampler(String label) {
        int dash = label.lastIndexOf('-');
        Solver named = Solver.parse(dash < 0 ? label : label.substring(0, dash));
        if (dash < 0) {
            require(!named.fixedSteps(), "sampler '" + label + "' needs its steps, such as " + named + "-10");
            return withSolver(named, steps);
        }
        try {
            return withSolver(named, Integer.parseInt(label.substring(dash + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("sampler '" + label + "' must be a solver with its steps, such as euler-10,"
                    + " or rk45");
        }
    }

    /** Solver and steps for tables and file names: "euler-100", "rk45", "pc-1000". */
    public String label() {
        return solver.fixedSteps() ? solver + "-" + steps : solver.toString();
    }
}
