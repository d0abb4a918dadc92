package pfgm.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Hands a network its EMA weights instead of its own: sampling with the averaged weights needs no
 * copy of the network and no swapping of weights back and forth.
 */
final class EmaParameterStore extends ParameterStore {
    private final Map<Parameter, NDArray> weights;

    EmaParameterStore(NDManager manager, Map<Parameter, NDArray> weights) {
        super(manager, false);
        this.weights = new IdentityHashMap<>(weights);
    }

    @Override
    public NDArray getValue(Parameter parameter, Device device, boolean training) {
        NDArray ema = weights.get(parameter);
        return ema != null ? ema : super.getValue(parameter, device, training);
    }
}
