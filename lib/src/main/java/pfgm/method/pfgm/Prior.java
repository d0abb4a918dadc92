package pfgm.method.pfgm;

import static pfgm.util.Checks.require;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import pfgm.util.Rng;
import pfgm.util.Scopes;

/**
 * The prior on the z = z_max hyperplane: the half-space Poisson kernel
 * p(x) ~ z_max / (||x||^2 + z_max^2)^((N+1)/2). Its radius is z_max sqrt(b / (1 - b)) with
 * b ~ Beta(N/2, 1/2), clipped to [1, upper_norm] as the official sampler does; the direction is
 * uniform.
 */
public record Prior(int dim, double zMax, double upperNorm) {

    public Prior {
        require(dim > 0, "dimension must be > 0, got " + dim);
        require(zMax > 0, "z_max must be > 0, got " + zMax);
        require(upperNorm >= 1, "upper_norm must be >= 1 (radii are clipped to [1, upper_norm]), got " + upperNorm);
    }

    public static Prior of(int dim, Hyperparameters hp) {
        return new Prior(dim, hp.zMax(), hp.upperNorm());
    }

    /**
     * log p(x) of the (unclipped) prior for rows x (n, N): log Gamma((N+1)/2) - (N+1)/2 log pi
     * + log z_max - (N+1)/2 log(||x||^2 + z_max^2). Returns (n) float64.
     */
    public NDArray logDensity(NDArray x) {
        double half = (dim + 1) / 2.0;
        double constant = org.apache.commons.math3.special.Gamma.logGamma(half) - half * Math.log(Math.PI) + Math.log(zMax);
        return x.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).square().sum(new int[] {1})
                .add(zMax * zMax).log().mul(-half).add(constant);
    }

    /** Radii of {@code n} prior samples, after clipping. */
    public double[] radii(int n, Rng rng) {
        double[] radii = rng.beta(n, dim / 2.0, 0.5);
        for (int i = 0; i < n; i++) {
            double b = radii[i];
            radii[i] = Math.min(upperNorm, Math.max(1, zMax * Math.sqrt(b / (1 - b))));
        }
        return radii;
    }

    /** {@code n} samples as an (n, N) float32 array (the z = z_max coordinate is implicit). */
    public NDArray sample(NDManager manager, int n, Rng rng) {
        double[] radii = radii(n, rng);
        float[] r = new float[n];
        for (int i = 0; i < n; i++) {
            r[i] = (float) radii[i];
        }
        NDArray directions = rng.unitVectors(manager, n, dim);
        return Scopes.keep(() -> directions.mul(manager.create(r, new Shape(n, 1))));
    }
}
