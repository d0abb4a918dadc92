package pfgm.config;

import static pfgm.config.TrainConfig.require;

import java.util.Locale;
import java.util.Set;
import pfgm.ode.OdeSolver;

/**
 * How to integrate the probability-flow ODE of any method: a solver (euler, heun, rk45) with its
 * steps or tolerances, or for the diffusion SDEs score-SDE's predictor-corrector sampler (pc):
 * {@code steps} predictor steps of the reverse SDE, each followed by {@code correctorSteps}
 * Langevin steps at signal-to-noise ratio {@code snr}.
 *
 * @param solver euler, heun, rk45 or pc
 * @param steps steps of euler, heun and pc (on the method's own time grid)
 * @param rtol RK45 relative tolerance
 * @param atol RK45 absolute tolerance
 * @param predictor pc's predictor: reverse_diffusion or euler_maruyama
 * @param corrector pc's corrector: langevin or none
 * @param snr the Langevin corrector's signal-to-noise ratio
 * @param correctorSteps Langevin steps after each predictor step
 */
public record SamplingConfig(String solver, int steps, double rtol, double atol, String predictor, String corrector,
        double snr, int correctorSteps) {
    static final Set<String> PREDICTORS = Set.of("reverse_diffusion", "euler_maruyama");
    static final Set<String> CORRECTORS = Set.of("langevin", "none");

    public SamplingConfig {
        solver = solver.toLowerCase(Locale.ROOT);
        require(steps >= 1, "sampling: steps must be >= 1, got " + steps);
        require(PREDICTORS.contains(predictor), "sampling: predictor must be one of " + PREDICTORS + ", got " + predictor);
        require(CORRECTORS.contains(corrector), "sampling: corrector must be one of " + CORRECTORS + ", got " + corrector);
        require(snr > 0 && correctorSteps >= 0, "sampling: need snr > 0 and correctorSteps >= 0");
        if (!solver.equals("pc")) { // the compact constructor sees the parameters, not yet the fields
            OdeSolver.named(solver, steps, rtol, atol); // validates the solver settings now, not at sampling time
        }
    }

    /** An ODE solver: rk45 with the given tolerances, or euler / heun with the given steps. */
    public static SamplingConfig ode(String solver, int steps, double rtol, double atol) {
        return new SamplingConfig(solver, steps, rtol, atol, "euler_maruyama", "none", 0.16, 1);
    }

    /** The PFGM paper's RK45 (rtol = atol = 1e-4). */
    public static SamplingConfig paper() {
        return ode("rk45", 100, 1e-4, 1e-4);
    }

    /** score-SDE's predictor-corrector sampler with N steps. */
    public static SamplingConfig predictorCorrector(String predictor, String corrector, double snr, int steps) {
        return new SamplingConfig("pc", steps, 1e-5, 1e-5, predictor, corrector, snr, 1);
    }

    public boolean isPredictorCorrector() {
        return solver.equals("pc");
    }

    public OdeSolver odeSolver() {
        require(!isPredictorCorrector(), "the pc sampler is not an ODE solver");
        return OdeSolver.named(solver, steps, rtol, atol);
    }

    /** This configuration with another solver and step count (tolerances and pc settings kept). */
    public SamplingConfig withSolver(String name, int numberOfSteps) {
        return new SamplingConfig(name, numberOfSteps, rtol, atol, predictor, corrector, snr, correctorSteps);
    }

    /** Solver and steps for tables and file names: "euler-100", "rk45", "pc-1000". */
    public String label() {
        return solver.equals("rk45") ? solver : solver + "-" + steps;
    }
}
