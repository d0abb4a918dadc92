package pfgm.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** A two-layer network on (x, log z) with dropout: small enough for fast trainer tests. */
final class TinyFieldNet extends AbstractBlock {
    private final Linear hidden;
    private final Linear out;
    private final float dropout;

    TinyFieldNet(int dim, int width, float dropout) {
        hidden = addChildBlock("hidden", Linear.builder().setUnits(width).build());
        out = addChildBlock("out", Linear.builder().setUnits(dim + 1).build());
        this.dropout = dropout;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray logZ = inputs.get(1).log().reshape(-1, 1);
        NDArray h = hidden.forward(ps, new NDList(NDArrays.concat(new NDList(x, logZ), 1)), training).singletonOrThrow();
        h = Activation.relu(h);
        if (training && dropout > 0) {
            h = ai.djl.nn.norm.Dropout.dropout(h, dropout, true).singletonOrThrow();
        }
        return out.forward(ps, new NDList(h), training);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long b = inputShapes[0].get(0);
        hidden.initialize(manager, dataType, new Shape(b, inputShapes[0].get(1) + 1));
        out.initialize(manager, dataType, hidden.getOutputShapes(new Shape[] {new Shape(b, inputShapes[0].get(1) + 1)}));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), inputShapes[0].get(1) + 1)};
    }
}
