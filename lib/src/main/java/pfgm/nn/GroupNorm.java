package pfgm.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import pfgm.util.Scalars;

/**
 * Group normalization (Wu and He 2018), which DJL lacks: channels split into groups, each group
 * normalized over its channels and positions per sample, then a learned per-channel scale and
 * shift. The official networks use min(channels / 4, 32) groups and eps 1e-6.
 */
public final class GroupNorm extends AbstractBlock {
    private final int groups;
    private final int channels;
    private final float eps;
    private final Parameter gamma;
    private final Parameter beta;

    public GroupNorm(int groups, int channels, float eps) {
        if (groups < 1 || channels % groups != 0) {
            throw new IllegalArgumentException(channels + " channels do not split into " + groups + " groups");
        }
        this.groups = groups;
        this.channels = channels;
        this.eps = eps;
        gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA)
                .optShape(new Shape(channels)).optInitializer(Initializer.ONES).build());
        beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA)
                .optShape(new Shape(channels)).optInitializer(Initializer.ZEROS).build());
    }

    /** The official choice: min(channels / 4, 32) groups, eps 1e-6. */
    public static GroupNorm standard(int channels) {
        return new GroupNorm(Math.min(channels / 4, 32), channels, 1e-6f);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray scale = ps.getValue(gamma, x.getDevice(), training);
        NDArray shift = ps.getValue(beta, x.getDevice(), training);
        if (pfgm.util.TorchOps.enabled && eps == pfgm.util.TorchOps.GROUP_NORM_EPS) {
            // PyTorch's group_norm: one kernel forward and one backward, the affine included.
            return new NDList(pfgm.util.TorchOps.groupNorm(x, groups, scale, shift));
        }
        Shape shape = x.getShape();
        // Each group is one layer-norm row: torch's fused layer_norm has a well-conditioned
        // backward, where the same formula spelled out in elementwise ops produced NaN gradients.
        NDArray grouped = x.reshape(shape.get(0), groups, -1);
        Shape row = new Shape(grouped.getShape().get(2));
        NDArray normalized = LayerNorm.layerNorm(grouped, row, Scalars.constant(x, row, 1), Scalars.constant(x, row, 0), eps)
                .singletonOrThrow().reshape(shape);
        Shape perChannel = new Shape(1, channels, 1, 1);
        return new NDList(normalized.mul(scale.reshape(perChannel)).add(shift.reshape(perChannel)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
