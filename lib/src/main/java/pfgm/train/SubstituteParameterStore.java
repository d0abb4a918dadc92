package pfgm.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Hands a network other arrays for its parameters than its own: the EMA weights for sampling, a
 * replica's copies for training on another device (Replicas). One network then serves them all,
 * with no copy of the block and no swapping of weights back and forth. A parameter it holds no
 * array for gets its own.
 */
final class SubstituteParameterStore extends ParameterStore {
    private final Map<Parameter, NDArray> weights;

    SubstituteParameterStore(NDManager manager, Map<Parameter, NDArray> weights) {
        super(manager, false);
        this.weights = new IdentityHashMap<>(weights);
    }

    @Override
    public NDArray getValue(Parameter parameter, Device device, boolean training) {
        NDArray substitute = weights.get(parameter);
        return substitute != null ? substitute : super.getValue(parameter, device, training);
    }
}
