package pfgm.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import pfgm.field.PerturbationKernel;
import pfgm.field.PoissonField;
import pfgm.util.Rng;
import pfgm.util.Scalars;

/**
 * The PFGM training objective (the official losses.py): perturb the first {@code smallBatch}
 * rows of a large batch with the kernel, take the normalized empirical field of the whole large
 * batch at those points as the target, and score the network by 0.5 * sum of squared errors over
 * the N+1 coordinates, averaged over the small batch.
 *
 * @param kernel the perturbation kernel
 * @param gamma field normalization gamma
 * @param smallBatch number of perturbed points per step
 */
public record PfgmObjective(PerturbationKernel kernel, double gamma, int smallBatch) {
    /** The official code clamps z from below before it reaches the network. */
    static final float MIN_Z = 1e-10f;

    /**
     * @param batch (B, ...) data: rows (B, N) or images (B, C, H, W)
     * @return the scalar loss (differentiable through the network)
     */
    public NDArray loss(Block network, ParameterStore parameters, NDArray batch, Rng rng, boolean training) {
        Shape shape = batch.getShape();
        long b = shape.get(0);
        NDArray charges = batch.reshape(b, -1);
        long n = charges.getShape().get(1);
        NDArray perturbed = kernel.perturb(charges.get(new NDIndex("0:{}", Math.min(smallBatch, b))), rng);
        NDArray target = PoissonField.normalized(perturbed, charges, gamma);
        // Back to the data's own shape: (b, N) rows or (b, C, H, W) images.
        NDArray x = perturbed.get(new NDIndex(":, :{}", n)).reshape(new Shape(-1).addAll(shape.slice(1)));
        NDArray z = perturbed.get(new NDIndex(":, {}", n)).maximum(MIN_Z);
        NDArray v = network.forward(parameters, new NDList(x, z), training).singletonOrThrow();
        return Scalars.times(v.sub(target).square().sum(new int[] {1}), 0.5).mean();
    }
}
