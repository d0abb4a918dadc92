package pfgm.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.NDManager;
import pfgm.config.SamplingConfig;
import pfgm.field.FieldModel;
import pfgm.field.Prior;
import pfgm.util.Rng;
import pfgm.ode.Drift;
import pfgm.ode.OdeSolver;
import pfgm.ode.Solution;
import pfgm.util.Scalars;
import pfgm.util.Scopes;

/**
 * The PFGM ODE with t = log z as time: dx/dt = z v_x / v_z (DESIGN.md section 2). Integrating
 * it from log z_max down to log z_min turns prior samples into data ({@link #sample}); the other
 * way it encodes data into the prior ({@link #encode}).
 *
 * @param model the normalized field
 * @param zMin lower end of the flow (1e-3 in the paper)
 * @param zMax height of the prior plane
 * @param zExp below this z, v_z is replaced by its value implied by ||v_x|| (appendix B.2.3);
 *     0 turns the substitution off
 * @param gamma the gamma the field was normalized with; the substitution needs it
 */
public record PoissonFlow(FieldModel model, double zMin, double zMax, double zExp, double gamma) {
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

    /** The flow a sampling configuration describes. */
    public static PoissonFlow of(FieldModel model, SamplingConfig config, double gamma) {
        return new PoissonFlow(model, config.zMin(), config.zMax(), config.zExp(), gamma);
    }

    /**
     * Draws {@code n} prior samples of dimension {@code dim} and flows them down to data.
     *
     * @return the samples (n, dim) with the NFE, and the path when {@code keepPath}
     */
    public static Solution generate(FieldModel model, int dim, SamplingConfig config, double gamma, int n,
            NDManager manager, Rng rng, boolean keepPath) {
        NDArray start = new Prior(dim, config.zMax(), config.upperNorm()).sample(manager, n, rng);
        return of(model, config, gamma).sample(start, config.odeSolver(), keepPath);
    }

    /** The drift dx/dt for states x of shape (n, N) at t = log z. */
    public Drift drift() {
        return (t, x) -> {
            double z = Math.exp(t);
            long n = x.getShape().get(0);
            long dim = x.getShape().get(1);
            NDArray v = model.field(x, x.getManager().full(new ai.djl.ndarray.types.Shape(n), (float) z, x.getDataType()));
            NDArray vx = v.get(new NDIndex(":, :{}", dim));
            NDArray vz = v.get(new NDIndex(":, {}:", dim));
            if (z < zExp && gamma > 0) {
                vz = impliedVz(vx, z, dim);
            }
            return Scalars.times(vx, z).div(vz.minimum(Scalars.of(vz, VZ_CEILING))).toType(x.getDataType(), false);
        };
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

    /** Backward flow from prior samples (n, N) on z = z_max down to z_min: the generated data. */
    public Solution sample(NDArray prior, OdeSolver solver, boolean keepPath) {
        pfgm.util.GradMode.off();
        return solver.solve(withoutTemporaries(), prior, Math.log(zMax), Math.log(zMin), keepPath);
    }

    /** Forward flow from data (n, N) at z = z_min up to the z_max plane. */
    public Solution encode(NDArray data, OdeSolver solver, boolean keepPath) {
        pfgm.util.GradMode.off();
        return solver.solve(withoutTemporaries(), data, Math.log(zMin), Math.log(zMax), keepPath);
    }

    /**
     * The drift with each evaluation's temporaries (a network's activations) freed as soon as it
     * returns: without this, RK45's six stages keep six forward passes' activations alive at once
     * (about 10 GB for 500 mnist_small samples). Only for gradient-free solves: the likelihood
     * differentiates through the drift and keeps {@link #drift()} as it is.
     */
    private Drift withoutTemporaries() {
        Drift drift = drift();
        return (t, x) -> Scopes.keep(() -> drift.at(t, x));
    }
}
