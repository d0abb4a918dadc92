package pfgm.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import pfgm.field.FieldModel;

/**
 * A trained network seen as a {@link FieldModel}: reshapes the sampler's (n, N) rows into the
 * network's input shape and runs it in inference mode.
 */
public final class NetworkField implements FieldModel {
    private final Block network;
    private final Shape sampleShape;
    private final ParameterStore parameters;

    /** @param sampleShape one sample's shape: (N) for vectors, (C, H, W) for images */
    public NetworkField(Block network, Shape sampleShape, ParameterStore parameters) {
        this.network = network;
        this.sampleShape = sampleShape;
        this.parameters = parameters;
    }

    @Override
    public NDArray field(NDArray x, NDArray z) {
        NDArray input = x.reshape(new Shape(-1).addAll(sampleShape));
        return network.forward(parameters, new NDList(input, z), false).singletonOrThrow();
    }
}
