package pfgm.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * A network for low-dimensional data: x (b, N) and a Fourier embedding of the log of the label (z,
 * sigma, ...) go through {@code layers} swish layers of width {@code width} to (b, N + extra).
 */
public final class Mlp extends LazyBlock {
    private final ZEmbedding.Fourier fourier;
    private final List<Linear> hidden = new ArrayList<>();
    private final Linear output;

    public Mlp(NetworkConfig config, int extraOutputs) {
        fourier = addChildBlock("fourier", new ZEmbedding.Fourier(16, config.fourierScale()));
        for (int i = 0; i < config.numResBlocks(); i++) {
            hidden.add(addChildBlock("hidden" + i, Layers.dense(config.nf(), 1)));
        }
        output = addChildBlock("output", Layers.dense(config.channels() + extraOutputs, 1));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray h = NDArrays.concat(new NDList(x, call(fourier, ps, inputs.get(1).log(), training)), 1);
        for (Linear layer : hidden) {
            h = Layers.silu(call(layer, ps, h, training));
        }
        return new NDList(call(output, ps, h, training));
    }
}
