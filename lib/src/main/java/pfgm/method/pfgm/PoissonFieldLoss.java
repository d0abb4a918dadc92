package pfgm.method.pfgm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import pfgm.nn.Network;
import pfgm.train.Loss;
import pfgm.util.Rng;
import pfgm.util.Scalars;

/**
 * PFGM's loss (the official losses.py, poisson): the first {@code points} rows of a batch of
 * {@code charges} rows are perturbed by the kernel (Algorithm 2); the target at each perturbed
 * point is the normalized empirical field of the whole batch; a row's loss is 0.5 * the sum of
 * squared errors over the N + 1 coordinates (reduce_mean = False, as the official configs set it).
 */
final class PoissonFieldLoss implements Loss {
    /** The official code clamps z from below before it reaches the network. */
    static final float MIN_Z = 1e-10f;
    private final PerturbationKernel kernel;
    private final double gamma;
    private final int charges;
    private final int points;

    PoissonFieldLoss(PfgmConfig config, int charges, int points) {
        this.kernel = new PerturbationKernel(config.sigma(), config.tau(), config.M(), config.restrictM());
        this.gamma = config.gamma();
        this.charges = charges;
        this.points = points;
    }

    @Override
    public int rows() {
        return charges;
    }

    @Override
    public Targets prepare(NDArray batch, Rng rng) {
        long n = batch.getShape().get(1);
        NDArray perturbed = kernel.perturb(batch.get(new NDIndex("0:{}", Math.min(points, batch.getShape().get(0)))), rng);
        NDArray target = PoissonField.normalized(perturbed, batch, gamma);
        NDArray x = perturbed.get(new NDIndex(":, :{}", n));
        NDArray z = perturbed.get(new NDIndex(":, {}", n)).maximum(MIN_Z);
        return new Targets(x, z, new NDList(target));
    }

    @Override
    public NDArray perRow(Network model, Targets targets) {
        NDArray v = model.apply(targets.inputs(), targets.labels());
        return Scalars.times(v.sub(targets.extras().get(0)).square().sum(new int[] {1}), 0.5);
    }
}
