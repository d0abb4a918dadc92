package pfgm.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/**
 * A 2-D convolution with a square kernel (PyTorch's conv2d: weight (out, in, k, k), bias (out)),
 * which hands oneDNN only output-channel counts that are whole multiples of its channel block.
 *
 * <p>Why: PyTorch 2.5.1's oneDNN CPU convolution stores channels in blocks of 16 (8 with AVX2
 * kernels). When the output channels do not fill the last block, the backward pass for the
 * input reads the padding lanes of that block, which on some machines hold whatever the
 * allocator handed out: NaN or silently wrong input gradients (a 3 x 3 convolution to 1, 2, 8 or
 * 17 channels, 75-100% of repetitions on an AMD Zen 5; 16 or 32 channels exact). Every U-Net
 * here ends in such a convolution (C + 1 channels) through which the whole network's gradient
 * flows. Padding the weight with zero filters up to a multiple of {@link #CHANNEL_BLOCK} and
 * dropping those outputs fills the block: oneDNN computes the padded lanes anyway, so this costs
 * no arithmetic, only the slice. The parameters keep their true shapes and names ("weight",
 * "bias", as DJL's Conv2d names them), so checkpoints do not change.
 */
public final class Convolution extends AbstractBlock {
    /** A multiple of every f32 channel block oneDNN uses on x86 (16 with AVX-512, 8 with AVX2). */
    public static final int CHANNEL_BLOCK = 16;
    private final int filters;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final Parameter weight;
    private final Parameter bias;

    /**
     * @param filters output channels
     * @param kernel kernel height and width
     * @param stride step in both directions
     * @param padding zeros added on every side
     * @param weights how the weight starts (the bias starts at zero)
     */
    public Convolution(int filters, int kernel, int stride, int padding, Initializer weights) {
        if (filters < 1 || kernel < 1 || stride < 1 || padding < 0) {
            throw new IllegalArgumentException("convolution: need filters, kernel, stride >= 1 and padding >= 0");
        }
        this.filters = filters;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optInitializer(weights).build());
        bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS).build());
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        weight.setShape(new Shape(filters, inputShapes[0].get(1), kernel, kernel));
        bias.setShape(new Shape(filters));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        NDArray b = ps.getValue(bias, x.getDevice(), training);
        int missing = Math.floorMod(-filters, CHANNEL_BLOCK);
        if (missing > 0) {
            Shape wShape = w.getShape();
            w = NDArrays.concat(new NDList(w, x.getManager().zeros(new Shape(missing).addAll(wShape.slice(1)), w.getDataType())));
            b = NDArrays.concat(new NDList(b, x.getManager().zeros(new Shape(missing), b.getDataType())));
        }
        NDArray y = Conv2d.conv2d(x, w, b, new Shape(stride, stride), new Shape(padding, padding)).head();
        return new NDList(missing > 0 ? y.get(new NDIndex(":, :{}", filters)) : y);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        long h = (in.get(2) + 2L * padding - kernel) / stride + 1;
        long w = (in.get(3) + 2L * padding - kernel) / stride + 1;
        return new Shape[] {new Shape(in.get(0), filters, h, w)};
    }
}
