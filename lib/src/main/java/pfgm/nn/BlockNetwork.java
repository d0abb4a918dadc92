package pfgm.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * A DJL block as a method sees it: rows (n, N) reshaped to the block's input shape, run with the
 * weights a parameter store hands out (the current ones, or the EMA), in training or inference mode.
 *
 * @param sampleShape one sample's shape: (N) for vectors, (C, H, W) for images
 */
public record BlockNetwork(Block block, Shape sampleShape, ParameterStore parameters, boolean training) implements Network {
    @Override
    public NDArray apply(NDArray x, NDArray label) {
        NDArray input = x.reshape(new Shape(-1).addAll(sampleShape));
        return block.forward(parameters, new NDList(input, label), training).singletonOrThrow();
    }
}
