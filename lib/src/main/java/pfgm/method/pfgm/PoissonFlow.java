package pfgm.method.pfgm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import pfgm.nn.Network;
import pfgm.ode.FixedStepSolver;
import pfgm.ode.Flow;
import pfgm.ode.OdeSolver;
import pfgm.ode.Solution;
import pfgm.util.GradMode;
import pfgm.util.Scalars;

/**
 * The PFGM ODE with t = log z as time: dx/dt = z v_x / v_z (docs/design.md, the math). Integrating
 * it from log z_max down to log z_min turns prior samples into data ({@link #sample}); the other
 * way it encodes data into the prior ({@link #encode}).
 *
 * @param model the normalized field: a trained network, or {@code pfgm.method.pfgm.OracleField}
 * @param zMin lower end of the flow (1e-3 in the paper)
 * @param zMax height of the prior plane
 * @param zExp below this z, v_z is replaced by its value implied by ||v_x|| (appendix B.2.3);
 *     0 turns the substitution off
 * @param gamma the gamma the field was normalized with; the substitution needs it
 */
public record PoissonFlow(Network model, double zMin, double zMax, double zExp, double gamma) {
    /**
     * Keeps v_z at most -1e-5 before dividing by it. The official sampler adds 1e-5 instead, which
     * flips the sign of the drift once |v_z| < 1e-5 (in low dimension at small z); where |v_z| is
     * large, as on CIFAR-10 at z >= 1e-3, both guards agree to 1e-5 / |v_z|.
     */
    static final double VZ_CEILING = -1e-5;

    public PoissonFlow {
        if (!(zMin > 0 && zMax > zMin)) {
            throw new IllegalArgumentException("need 0 < z_min < z_max, got z_min=" + zMin + " z_max=" + zMax);
        }
        if (!(zExp >= 0) || !(gamma >= 0)) {
            throw new IllegalArgumentException("z_exp and gamma must be >= 0, got z_exp=" + zExp + " gamma=" + gamma);
        }
    }

    /** The flow of a field model under PFGM settings. */
    public static PoissonFlow of(Network model, PfgmConfig config) {
        return new PoissonFlow(model, config.zMin(), config.zMax(), config.zExp(), config.gamma());
    }

    /**
     * From the prior plane (t = log z_max) down to the data (t = log z_min) in t = log z, as the
     * official RK45 sampler integrates it; what adaptive solvers, encoding and the likelihood use.
     */
    public Flow flow() {
        return Flow.uniform((t, x) -> {
            double z = Math.exp(t);
            return Scalars.times(slope(z, x), z);
        }, Math.log(zMax), Math.log(zMin));
    }

    /**
     * The same ODE with z itself as time, dx/dz = v_x / v_z, on the n + 1 heights uniform in log z
     * from z_max to z_min: the official fixed-step samplers (ForwardEulerPredictor and
     * ImprovedEulerPredictor) step in z on that grid, not in log z. At 10 steps from z = 40 to 1e-3
     * an Euler step in log z would go ln(1 / 0.35) / (1 / 0.35 - 1) = 1.6 times as far.
     */
    public Flow steppedFlow() {
        return new Flow(this::slope, zMax, zMin, n -> {
            double[] heights = Flow.uniformGrid(Math.log(zMax), Math.log(zMin), n);
            for (int i = 0; i <= n; i++) {
                heights[i] = i == n ? zMin : Math.exp(heights[i]);
            }
            heights[0] = zMax;
            return heights;
        }, Math::log);
    }

    /** The flow a solver integrates: {@link #steppedFlow()} for fixed steps, {@link #flow()} for RK45. */
    public Flow flowFor(OdeSolver solver) {
        return solver instanceof FixedStepSolver ? steppedFlow() : flow();
    }

    /** The height z at a time of the solution of {@link #flowFor}(solver). */
    public static double height(double time, OdeSolver solver) {
        return solver instanceof FixedStepSolver ? time : Math.exp(time);
    }

    /** dx/dz = v_x / v_z for states x of shape (n, N) at height z. */
    private NDArray slope(double z, NDArray x) {
        long n = x.getShape().get(0);
        long dim = x.getShape().get(1);
        NDArray v = model.apply(x, x.getManager().full(new Shape(n), (float) z, x.getDataType()));
        NDArray vx = v.get(new NDIndex(":, :{}", dim));
        NDArray vz = v.get(new NDIndex(":, {}:", dim));
        if (z < zExp && gamma > 0) {
            vz = impliedVz(vx, z, dim);
        }
        return vx.div(vz.minimum(Scalars.of(vz, VZ_CEILING))).toType(x.getDataType(), false);
    }

    /**
     * v_z from ||v_x|| (appendix B.2.3): a = ||v_x|| / sqrt(N) = ||x part of g|| / (||g|| + gamma)
     * gives ||g_x|| = gamma a / (1 - a); with |g_z| = z, v_z = -sqrt(N) z / (||g|| + gamma).
     */
    private NDArray impliedVz(NDArray vx, double z, long dim) {
        double sqrtDim = Math.sqrt(dim);
        NDArray a = Scalars.times(vx.norm(new int[] {1}, true), 1 / sqrtDim);
        NDArray gx = Scalars.times(a, gamma).div(a.neg().add(1));
        NDArray g = gx.square().add(z * z).sqrt();
        return Scalars.of(g, -sqrtDim * z).div(g.add(gamma));
    }

    /**
     * Backward flow from prior samples (n, N) on z = z_max down to z_min: the generated data. The
     * solution's times are z for fixed-step solvers and log z for RK45 ({@link #flowFor}).
     */
    public Solution sample(NDArray prior, OdeSolver solver, boolean keepPath) {
        GradMode.off();
        return solver.solve(flowFor(solver).withoutTemporaries(), prior, keepPath);
    }

    /** Forward flow from data (n, N) at z = z_min up to the z_max plane (times as {@link #sample}). */
    public Solution encode(NDArray data, OdeSolver solver, boolean keepPath) {
        GradMode.off();
        return solver.solve(flowFor(solver).reversed().withoutTemporaries(), data, keepPath);
    }
}
