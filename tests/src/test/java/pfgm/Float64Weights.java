package pfgm;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Hands a block float64 copies of its weights, so that the same network runs in double precision.
 * PyTorch's float64 convolutions do not go through oneDNN, which makes this the independent
 * reference for float32 gradients; each copy collects its own gradient.
 */
public final class Float64Weights extends ParameterStore {
    private final NDManager manager;
    private final Map<Parameter, NDArray> copies = new IdentityHashMap<>();

    public Float64Weights(NDManager manager) {
        super(manager, false);
        this.manager = manager;
    }

    @Override
    public NDArray getValue(Parameter parameter, Device device, boolean training) {
        return copies.computeIfAbsent(parameter, p -> {
            NDArray copy = p.getArray().toType(DataType.FLOAT64, true); // a new leaf: casts do not record gradients
            copy.attach(manager);
            copy.setRequiresGradient(p.requiresGradient());
            return copy;
        });
    }

    /** The float64 copy of {@code parameter} (after a forward pass used it). */
    public NDArray copyOf(Parameter parameter) {
        return copies.get(parameter);
    }
}
