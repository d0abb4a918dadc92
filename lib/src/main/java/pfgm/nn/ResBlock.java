package pfgm.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import pfgm.util.Scalars;

/**
 * The residual block of DDPM++ (BigGAN style, ResnetBlockBigGANpp) and of the DDPM U-Net
 * (ResnetBlockDDPM): GroupNorm, swish, 3 x 3 conv, plus a projection of the z embedding, GroupNorm,
 * swish, dropout, a 3 x 3 conv that starts at zero, and a skip (1 x 1 conv when the channels or
 * the resolution change). The BigGAN form can resample inside the block (naively, or with the
 * [1, 3, 3, 1] FIR filter in NCSN++) and rescales the sum by 1/sqrt(2); inputs are (x, embedding).
 */
public final class ResBlock extends LazyBlock {
    /** Resampling inside the block (BigGAN style only). */
    public enum Resample { NONE, UP, DOWN }

    private final GroupNorm norm1;
    private final Convolution conv1;
    private final Linear embed;
    private final GroupNorm norm2;
    private final Dropout dropout;
    private final Convolution conv2;
    private final Convolution skip;
    private final Resample resample;
    private final boolean skipRescale;
    private final boolean fir;

    public ResBlock(int in, int out, float dropoutRate, Resample resample, boolean skipRescale, boolean fir) {
        norm1 = addChildBlock("norm1", GroupNorm.standard(in));
        conv1 = addChildBlock("conv1", Layers.conv3x3(out, 1));
        embed = addChildBlock("embed", Layers.dense(out, 1));
        norm2 = addChildBlock("norm2", GroupNorm.standard(out));
        dropout = addChildBlock("dropout", Dropout.builder().optRate(dropoutRate).build());
        conv2 = addChildBlock("conv2", Layers.conv3x3(out, 0));
        skip = in != out || resample != Resample.NONE ? addChildBlock("skip", Layers.conv1x1(out, 1)) : null;
        this.resample = resample;
        this.skipRescale = skipRescale;
        this.fir = fir;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray embedding = inputs.get(1);
        NDArray h = Layers.silu(call(norm1, ps, x, training));
        h = call(conv1, ps, resample(h), training);
        x = resample(x);
        NDArray projected = call(embed, ps, Layers.silu(embedding), training);
        h = h.add(projected.reshape(projected.getShape().get(0), -1, 1, 1));
        h = Layers.silu(call(norm2, ps, h, training));
        h = call(conv2, ps, call(dropout, ps, h, training), training);
        NDArray shortcut = skip == null ? x : call(skip, ps, x, training);
        NDArray sum = shortcut.add(h);
        return new NDList(skipRescale ? Scalars.times(sum, 1 / Math.sqrt(2)) : sum);
    }

    private NDArray resample(NDArray a) {
        return switch (resample) {
            case NONE -> a;
            case UP -> fir ? Layers.firUpsample(a) : Layers.upsample(a);
            case DOWN -> fir ? Layers.firDownsample(a) : Layers.downsample(a);
        };
    }
}
