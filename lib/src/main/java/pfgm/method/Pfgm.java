package pfgm.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import pfgm.config.PfgmConfig;
import pfgm.field.PerturbationKernel;
import pfgm.field.PoissonField;
import pfgm.field.Prior;
import pfgm.ode.Flow;
import pfgm.ode.OdeSolver;
import pfgm.sampling.PoissonFlow;
import pfgm.util.Rng;
import pfgm.util.Scalars;

/**
 * Poisson Flow Generative Models (Xu et al. 2022; the official losses.py and methods.py): the
 * network learns the normalized Poisson field of the data, whose flow in z carries the uniform
 * distribution on a large hemisphere (the prior on the z_max plane) to the data.
 */
public final class Pfgm implements Method {
    /** The official code clamps z from below before it reaches the network. */
    static final float MIN_Z = 1e-10f;
    private final PfgmConfig config;
    private final PerturbationKernel kernel;
    private final int smallBatch;

    /**
     * @param config the kernel, field and prior settings
     * @param smallBatch perturbed points per training step, drawn from the first rows of the batch
     */
    public Pfgm(PfgmConfig config, int smallBatch) {
        this.config = config;
        this.kernel = new PerturbationKernel(config.sigma(), config.tau(), config.M(), config.restrictM());
        this.smallBatch = smallBatch;
    }

    /** PFGM for sampling and the likelihood (training would perturb every row of a batch). */
    public Pfgm(PfgmConfig config) {
        this(config, Integer.MAX_VALUE);
    }

    public PfgmConfig config() {
        return config;
    }

    @Override
    public String name() {
        return "pfgm";
    }

    /** v_z, the field's component along z. */
    @Override
    public int extraOutputs() {
        return 1;
    }

    /** The field target is the empirical field of the large batch. */
    @Override
    public boolean needsLargeBatch() {
        return true;
    }

    /**
     * Perturbs the first {@code smallBatch} rows with the kernel (Algorithm 2), takes the
     * normalized empirical field of the whole batch at those points as the target, and scores the
     * network by 0.5 * sum of squared errors over the N + 1 coordinates, averaged over the points
     * (reduce_mean = False, as the official configs set it).
     */
    @Override
    public NDArray loss(Network network, NDArray batch, Rng rng) {
        long n = batch.getShape().get(1);
        NDArray perturbed = kernel.perturb(batch.get(new NDIndex("0:{}", Math.min(smallBatch, batch.getShape().get(0)))), rng);
        NDArray target = PoissonField.normalized(perturbed, batch, config.gamma());
        NDArray x = perturbed.get(new NDIndex(":, :{}", n));
        NDArray z = perturbed.get(new NDIndex(":, {}", n)).maximum(MIN_Z);
        NDArray v = network.apply(x, z);
        return Scalars.times(v.sub(target).square().sum(new int[] {1}), 0.5).mean();
    }

    @Override
    public NDArray prior(NDManager manager, int n, int dim, Rng rng) {
        return new Prior(dim, config.zMax(), config.upperNorm()).sample(manager, n, rng);
    }

    /** The unclipped prior: the half-space Poisson kernel on the z_max plane. */
    @Override
    public NDArray priorLogDensity(NDArray x) {
        return new Prior(Math.toIntExact(x.getShape().get(1)), config.zMax(), Double.MAX_VALUE).logDensity(x);
    }

    @Override
    public Flow flow(Network network, int dim) {
        return PoissonFlow.of(network, config).flow();
    }

    /** Fixed steps in z, RK45 in log z, as the official samplers. */
    @Override
    public Flow flow(Network network, int dim, OdeSolver solver) {
        return PoissonFlow.of(network, config).flowFor(solver);
    }
}
