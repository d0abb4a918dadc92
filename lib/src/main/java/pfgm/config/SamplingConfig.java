package pfgm.config;

import pfgm.ode.OdeSolver;

/**
 * How to sample: the prior plane and clip, where the flow stops, the v_z substitution height, and
 * the ODE solver (DESIGN.md section 2; the paper: z_max 40, z_min 1e-3, upper_norm 3000, z_exp 5,
 * RK45 with rtol = atol = 1e-4 or Euler with 100 steps).
 */
public record SamplingConfig(double zMin, double zMax, double upperNorm, double zExp, String solver, int steps,
        double rtol, double atol) {

    public SamplingConfig {
        TrainConfig.require(zMin > 0 && zMax > zMin, "need 0 < zMin < zMax, got " + zMin + ", " + zMax);
        TrainConfig.require(upperNorm >= 1, "upperNorm must be >= 1, got " + upperNorm);
        TrainConfig.require(zExp >= 0, "zExp must be >= 0, got " + zExp);
        odeSolver(solver, steps, rtol, atol); // validates the solver settings now, not at sampling time
    }

    /** The paper's settings with RK45, for a given prior plane and clip. */
    public static SamplingConfig paper(double zMax, double upperNorm) {
        return new SamplingConfig(1e-3, zMax, upperNorm, 5, "rk45", 100, 1e-4, 1e-4);
    }

    public OdeSolver odeSolver() {
        return odeSolver(solver, steps, rtol, atol);
    }

    private static OdeSolver odeSolver(String solver, int steps, double rtol, double atol) {
        return OdeSolver.named(solver, steps, rtol, atol);
    }

    public SamplingConfig withSolver(String name, int numberOfSteps) {
        return new SamplingConfig(zMin, zMax, upperNorm, zExp, name, numberOfSteps, rtol, atol);
    }
}
