package pfgm.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import pfgm.util.Scalars;

/**
 * Self-attention over the positions of a feature map (the DDPM++ AttnBlockpp): GroupNorm, 1 x 1
 * projections to q, k, v (initialized with a tenth of the usual variance, as the official NIN
 * layers), softmax of q.k / sqrt(C) over positions, an output projection that starts at zero, and
 * a residual, divided by sqrt(2) with skip rescaling.
 */
public final class Attention extends LazyBlock {
    private final GroupNorm norm;
    private final Convolution q;
    private final Convolution k;
    private final Convolution v;
    private final Convolution out;
    private final boolean skipRescale;

    public Attention(int channels, boolean skipRescale) {
        norm = addChildBlock("norm", GroupNorm.standard(channels));
        // The official NIN layers start at init_scale 0.1 (NIN's default in AttnBlockpp and DDPM's AttnBlock).
        q = addChildBlock("q", Layers.conv1x1(channels, 0.1));
        k = addChildBlock("k", Layers.conv1x1(channels, 0.1));
        v = addChildBlock("v", Layers.conv1x1(channels, 0.1));
        out = addChildBlock("out", Layers.conv1x1(channels, 0));
        this.skipRescale = skipRescale;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape shape = x.getShape();
        long b = shape.get(0);
        long c = shape.get(1);
        NDArray h = call(norm, ps, x, training);
        NDArray queries = call(q, ps, h, training).reshape(b, c, -1).transpose(0, 2, 1); // (b, HW, C)
        NDArray keys = call(k, ps, h, training).reshape(b, c, -1);                       // (b, C, HW)
        NDArray values = call(v, ps, h, training).reshape(b, c, -1).transpose(0, 2, 1);  // (b, HW, C)
        NDArray weights = Scalars.times(queries.batchMatMul(keys), 1 / Math.sqrt(c)).softmax(2);
        NDArray attended = weights.batchMatMul(values).transpose(0, 2, 1).reshape(shape);
        NDArray result = x.add(call(out, ps, attended, training));
        return new NDList(skipRescale ? Scalars.times(result, 1 / Math.sqrt(2)) : result);
    }
}
