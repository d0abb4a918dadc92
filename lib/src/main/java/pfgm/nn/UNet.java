package pfgm.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import pfgm.util.Scalars;

/**
 * The U-Net of DDPM++ and NCSN++ (the official ncsnpp.py with BigGAN blocks; DDPM++ without FIR
 * or progressive paths, NCSN++ with FIR resampling and progressive_input = 'residual') and of the
 * DDPM network. In NCSN++ the input image is carried down a pyramid: after each downsampling
 * block it goes through the fused FIR downsampling convolution to the block's channels, is added
 * to the block's output and divided by sqrt(2), and the sum is both the new feature map and the
 * next pyramid level (progressive = 'none': the output path is DDPM++'s). The label (z for PFGM,
 * the time or noise level for other methods) is embedded (sinusoidal of the label, or Fourier
 * features of its log) and passed through two dense layers to every residual block. For PFGM the
 * last 3 x 3 convolution has C + 1 output channels: the first C are v_x, and the spatial mean of
 * the extra one is v_z; otherwise it has C. Forward takes (x (b, C, H, W), label (b)) and returns
 * (b, C*H*W + 1) or (b, C*H*W).
 */
public final class UNet extends LazyBlock {
    private final NetworkConfig config;
    private final ZEmbedding.Fourier fourier;
    private final Linear embed1;
    private final Linear embed2;
    private final Convolution input;
    private final List<Block> down = new ArrayList<>();
    private final List<Block> middle = new ArrayList<>();
    private final List<Block> up = new ArrayList<>();
    private final GroupNorm outNorm;
    private final Convolution output;
    private final boolean outputsVz;

    /** @param outputsVz an extra output channel whose spatial mean is PFGM's v_z */
    public UNet(NetworkConfig config, boolean outputsVz) {
        this.config = config;
        this.outputsVz = outputsVz;
        boolean bigGan = config.bigGan();
        int nf = config.nf();
        fourier = config.embedding() == NetworkConfig.Embedding.FOURIER
                ? addChildBlock("fourier", new ZEmbedding.Fourier(nf, config.fourierScale())) : null;
        embed1 = addChildBlock("embed1", Layers.dense(4 * nf, 1));
        embed2 = addChildBlock("embed2", Layers.dense(4 * nf, 1));
        input = addChildBlock("input", Layers.conv3x3(nf, 1));
        int levels = config.chMult().length;
        Deque<Integer> skipChannels = new ArrayDeque<>();
        skipChannels.push(nf);
        int channels = nf;
        int resolution = config.imageSize();
        for (int level = 0; level < levels; level++) {
            for (int i = 0; i < config.numResBlocks(); i++) {
                int out = nf * config.chMult()[level];
                down.add(addChildBlock("down" + level + "_res" + i, resBlock(channels, out, ResBlock.Resample.NONE, bigGan)));
                channels = out;
                if (attention(resolution)) {
                    down.add(addChildBlock("down" + level + "_attn" + i, new Attention(channels, bigGan)));
                }
                skipChannels.push(channels);
            }
            if (level < levels - 1) {
                down.add(addChildBlock("down" + level + "_resample", resampler(channels, ResBlock.Resample.DOWN, bigGan)));
                if (config.inputPyramid()) {
                    down.add(addChildBlock("down" + level + "_pyramid", new PyramidDownsample(channels)));
                }
                skipChannels.push(channels);
                resolution /= 2;
            }
        }
        middle.add(addChildBlock("mid_res1", resBlock(channels, channels, ResBlock.Resample.NONE, bigGan)));
        middle.add(addChildBlock("mid_attn", new Attention(channels, bigGan)));
        middle.add(addChildBlock("mid_res2", resBlock(channels, channels, ResBlock.Resample.NONE, bigGan)));
        for (int level = levels - 1; level >= 0; level--) {
            for (int i = 0; i <= config.numResBlocks(); i++) {
                int out = nf * config.chMult()[level];
                up.add(addChildBlock("up" + level + "_res" + i,
                        new SkipConcat(resBlock(channels + skipChannels.pop(), out, ResBlock.Resample.NONE, bigGan))));
                channels = out;
            }
            if (attention(resolution)) {
                up.add(addChildBlock("up" + level + "_attn", new Attention(channels, bigGan)));
            }
            if (level > 0) {
                up.add(addChildBlock("up" + level + "_resample", resampler(channels, ResBlock.Resample.UP, bigGan)));
                resolution *= 2;
            }
        }
        outNorm = addChildBlock("out_norm", GroupNorm.standard(channels));
        output = addChildBlock("output", Layers.conv3x3(config.channels() + (outputsVz ? 1 : 0), 0));
    }

    private boolean attention(int resolution) {
        return java.util.Arrays.stream(config.attnResolutions()).anyMatch(r -> r == resolution);
    }

    private ResBlock resBlock(int in, int out, ResBlock.Resample resample, boolean bigGan) {
        return new ResBlock(in, out, config.dropout(), resample, bigGan, config.fir());
    }

    /** BigGAN resamples inside a residual block; DDPM uses a separate resampling convolution. */
    private Block resampler(int channels, ResBlock.Resample direction, boolean bigGan) {
        return bigGan ? resBlock(channels, channels, direction, true) : new Resampler(channels, direction);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray z = inputs.get(1);
        NDArray embedding = fourier != null ? call(fourier, ps, z.log(), training) : ZEmbedding.sinusoidal(z, config.nf());
        embedding = call(embed2, ps, Layers.silu(call(embed1, ps, embedding, training)), training);
        Deque<NDArray> skips = new ArrayDeque<>();
        NDArray h = call(input, ps, x, training);
        skips.push(h);
        NDArray pyramid = x;
        for (Block block : down) {
            if (block instanceof PyramidDownsample) {
                h = Scalars.times(call(block, ps, pyramid, training).add(h), 1 / Math.sqrt(2));
                pyramid = h;
            } else {
                h = apply(block, ps, h, embedding, training);
            }
            if (block instanceof Attention || block instanceof PyramidDownsample) {
                skips.pop(); // these refine the map of the block before them: the skip is the refined map
            }
            skips.push(h);
        }
        for (Block block : middle) {
            h = apply(block, ps, h, embedding, training);
        }
        for (Block block : up) {
            h = block instanceof SkipConcat ? call(block, ps, new NDList(h, skips.pop(), embedding), training)
                    : apply(block, ps, h, embedding, training);
        }
        h = call(output, ps, Layers.silu(call(outNorm, ps, h, training)), training);
        long b = h.getShape().get(0);
        if (!outputsVz) {
            return new NDList(h.reshape(b, -1));
        }
        NDArray vx = h.get(new NDIndex(":, :{}", config.channels())).reshape(b, -1);
        NDArray vz = h.get(new NDIndex(":, {}", config.channels())).reshape(b, -1).mean(new int[] {1}, true);
        return new NDList(NDArrays.concat(new NDList(vx, vz), 1));
    }

    private NDArray apply(Block block, ParameterStore ps, NDArray h, NDArray embedding, boolean training) {
        return block instanceof ResBlock ? call(block, ps, new NDList(h, embedding), training) : call(block, ps, h, training);
    }

    /** A residual block of the up path: concatenates the skip connection first. Inputs (h, skip, embedding). */
    private static final class SkipConcat extends LazyBlock {
        private final ResBlock block;

        SkipConcat(ResBlock block) {
            this.block = addChildBlock("res", block);
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
            NDArray joined = NDArrays.concat(new NDList(in.get(0), in.get(1)), 1);
            return new NDList(call(block, ps, new NDList(joined, in.get(2)), training));
        }
    }

    /**
     * The official Downsample with fir and a convolution (up_or_down_sampling.Conv2d with down =
     * True, i.e. conv_downsample_2d): the FIR blur to (H + 1, W + 1), then a 3 x 3 stride-2
     * convolution without padding to {@code out} channels, default_init weights and a zero bias.
     */
    static final class PyramidDownsample extends LazyBlock {
        private final Convolution conv;

        PyramidDownsample(int out) {
            conv = addChildBlock("conv", Layers.conv3x3Stride2(out, 1));
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
            return new NDList(call(conv, ps, Layers.firBlur(in.singletonOrThrow()), training));
        }
    }

    /**
     * DDPM's resampling (score-SDE's layers.Upsample / Downsample with_conv): nearest upsampling
     * then a 3 x 3 convolution, or one zero column and row on the right and bottom then a 3 x 3
     * stride-2 convolution without padding.
     */
    private static final class Resampler extends LazyBlock {
        private final Convolution conv;
        private final ResBlock.Resample direction;

        Resampler(int channels, ResBlock.Resample direction) {
            this.direction = direction;
            conv = addChildBlock("conv", direction == ResBlock.Resample.DOWN
                    ? Layers.conv3x3Stride2(channels, 1) : Layers.conv3x3(channels, 1));
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
            NDArray x = in.singletonOrThrow();
            return new NDList(call(conv, ps, direction == ResBlock.Resample.UP ? Layers.upsample(x)
                    : x.pad(new ai.djl.ndarray.types.Shape(0, 1, 0, 1), 0), training));
        }
    }
}
