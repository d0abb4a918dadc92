package pfgm.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import pfgm.util.Scalars;

/**
 * A field network for low-dimensional data that learns only what a single charge does not
 * explain. With x in R^N and rho^2 = ||x||^2 + z^2 it returns
 * <pre>
 *   v(x, z) = sqrt(N) g0 / (||g0|| + gamma) + inner(x / sqrt(1 + rho^2 / scale^2), z),   g0 = -(x, z),
 * </pre>
 * the normalized field of one charge at the origin (the data's centre) plus the inner network's
 * correction, which the inner network computes from x squeezed into the ball of radius
 * {@code scale}.
 *
 * <p>Why (issue 9, toy2d): PFGM's prior and perturbation kernel put points up to tens of data radii
 * away from the data (||x|| up to about 70 on eight Gaussians of radius 2.8), and an MLP fed raw x
 * over that range learns the far field and a rotationally symmetric field near the ring, but not
 * the eight clusters: its tangential field at z = 0.3 on the ring was 0.01 where the exact one is
 * 0.4. Far away the field is that of a point charge, which this block supplies exactly; the inner
 * network's target there is close to 0 and its input bounded, so its capacity goes where the data
 * are. Either change alone did not make the clusters learnable; both did. Gradients flow to x as
 * well (arithmetic through {@link Scalars}), so the likelihood's divergence works through it.
 */
public final class Preconditioned extends AbstractBlock {
    private final Block inner;
    private final double scale;
    private final double gamma;

    /**
     * @param inner a network on (x (b, N), z (b)) returning (b, N+1)
     * @param scale the radius of the ball x is squeezed into; about twice the data's norm
     * @param gamma the field normalization's gamma, as in training
     */
    public Preconditioned(Block inner, double scale, double gamma) {
        if (!(scale > 0) || !(gamma >= 0)) {
            throw new IllegalArgumentException("need scale > 0 and gamma >= 0, got " + scale + ", " + gamma);
        }
        this.inner = addChildBlock("inner", inner);
        this.scale = scale;
        this.gamma = gamma;
    }

    /** The normalized field of one charge at the origin at points (x, z): sqrt(N) g0 / (||g0|| + gamma), g0 = -(x, z). */
    public static NDArray pointChargeField(NDArray x, NDArray z, double gamma) {
        long n = x.getShape().get(1);
        NDArray g0 = NDArrays.concat(new NDList(x, z.reshape(-1, 1)), 1).neg();
        NDArray norm = g0.norm(new int[] {1}, true);
        return Scalars.times(g0, Math.sqrt(n)).div(norm.add(Scalars.of(norm, gamma)));
    }

    /** x / sqrt(1 + (||x||^2 + z^2) / scale^2): the identity near the origin, radius below {@code scale} everywhere. */
    NDArray squeeze(NDArray x, NDArray z) {
        NDArray rhoSquared = x.square().sum(new int[] {1}, true).add(z.reshape(-1, 1).square());
        NDArray factor = Scalars.times(rhoSquared, 1 / (scale * scale));
        return x.div(factor.add(Scalars.of(factor, 1)).sqrt());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray z = inputs.get(1);
        if (x.getShape().dimension() != 2) {
            throw new IllegalArgumentException("Preconditioned takes vectors (b, N), got " + x.getShape());
        }
        NDArray correction = inner.forward(ps, new NDList(squeeze(x, z), z), training, params).singletonOrThrow();
        return new NDList(correction.add(pointChargeField(x, z, gamma).toType(correction.getDataType(), false)));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        inner.initialize(manager, dataType, inputShapes);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inner.getOutputShapes(inputShapes);
    }
}
