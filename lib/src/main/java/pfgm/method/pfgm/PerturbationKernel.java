package pfgm.method.pfgm;

import static pfgm.util.Checks.require;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import pfgm.util.Rng;
import pfgm.util.Scopes;

/**
 * The paper's Algorithm 2 ({@code forward_pz} in the official code): lifts data points off the
 * z = 0 plane to augmented points whose norms spread over the range the sampler will visit.
 *
 * <p>m ~ U[0, M]; eps_z ~ N(0, sigma^2); with restrictM, m ~ U[0, 0.7 M] where |eps_z| < 0.005;
 * z = |eps_z| (1 + tau)^m; the x part moves by ||eps_x|| (1 + tau)^m, eps_x ~ N(0, sigma^2 I_N),
 * in a uniform direction.
 */
public record PerturbationKernel(double sigma, double tau, int M, boolean restrictM) {
    /** Below this |eps_z| the official code restricts m to 0.7 M. */
    static final double RESTRICT_BELOW = 0.005;

    public PerturbationKernel {
        require(sigma > 0, "sigma must be > 0, got " + sigma);
        require(tau > 0, "tau must be > 0, got " + tau);
        require(M > 0, "M must be > 0, got " + M);
    }

    /** Perturbs an (b, N) batch into (b, N+1) augmented points (x + r u, z), float32. */
    public NDArray perturb(NDArray batch, Rng rng) {
        require(batch.getShape().dimension() == 2, "batch must be (b, N), got " + batch.getShape());
        int b = Math.toIntExact(batch.getShape().get(0));
        int n = Math.toIntExact(batch.getShape().get(1));
        float[] z = new float[b];
        float[] radius = new float[b];
        for (int i = 0; i < b; i++) {
            double epsZ = sigma * rng.nextGaussian();
            double mMax = restrictM && Math.abs(epsZ) < RESTRICT_BELOW ? (int) (0.7 * M) : M;
            double growth = Math.pow(1 + tau, mMax * rng.nextDouble());
            double epsXNorm = 0;
            for (int k = 0; k < n; k++) {
                double e = sigma * rng.nextGaussian();
                epsXNorm += e * e;
            }
            z[i] = (float) (Math.abs(epsZ) * growth);
            radius[i] = (float) (Math.sqrt(epsXNorm) * growth);
        }
        NDManager manager = batch.getManager();
        NDArray directions = rng.unitVectors(manager, b, n);
        return Scopes.keep(() -> NDArrays.concat(new NDList(
                batch.add(directions.mul(manager.create(radius, new Shape(b, 1)))),
                manager.create(z, new Shape(b, 1))), 1));
    }
}
