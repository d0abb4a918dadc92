package pfgm.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam as torch.optim.Adam computes it (bias-corrected moments, eps outside the square root, no
 * weight decay). Written here rather than taken from DJL so that its moments can be saved in a
 * checkpoint and restored exactly.
 */
public final class Adam {
    static final double BETA2 = 0.999;
    private final double beta1;
    private final double eps;
    private final Map<String, NDArray> mean = new LinkedHashMap<>();
    private final Map<String, NDArray> variance = new LinkedHashMap<>();
    private long updates;

    public Adam(double beta1, double eps) {
        this.beta1 = beta1;
        this.eps = eps;
    }

    /** One update of every parameter from its gradient, at learning rate {@code lr}. */
    public void step(List<Pair<String, Parameter>> parameters, double lr, NDManager stateManager) {
        updates++;
        double correction1 = 1 - Math.pow(beta1, updates);
        double correction2 = 1 - Math.pow(BETA2, updates);
        for (Pair<String, Parameter> entry : parameters) {
            NDArray weight = entry.getValue().getArray();
            NDArray grad = weight.getGradient();
            NDArray m = mean.computeIfAbsent(entry.getKey(), k -> persistent(stateManager.zeros(weight.getShape())));
            NDArray v = variance.computeIfAbsent(entry.getKey(), k -> persistent(stateManager.zeros(weight.getShape())));
            m.muli(beta1).addi(grad.mul(1 - beta1));
            v.muli(BETA2).addi(grad.square().mul(1 - BETA2));
            NDArray denominator = v.div(correction2).sqrt().add(eps);
            weight.subi(m.div(denominator).mul(lr / correction1));
        }
    }

    /** Moments outlive the training step's scope that first creates them. */
    private static NDArray persistent(NDArray array) {
        NDScope.unregister(array);
        return array;
    }

    public long updates() {
        return updates;
    }

    /** The moments by name ("m/<param>", "v/<param>"), for a checkpoint. */
    public Map<String, NDArray> state() {
        Map<String, NDArray> state = new LinkedHashMap<>();
        mean.forEach((k, a) -> state.put("m/" + k, a));
        variance.forEach((k, a) -> state.put("v/" + k, a));
        return state;
    }

    /** Restores moments written by {@link #state} and the update count. */
    public void restore(Map<String, NDArray> state, long updateCount) {
        mean.clear();
        variance.clear();
        state.forEach((key, array) -> {
            if (key.startsWith("m/")) {
                mean.put(key.substring(2), array);
            } else if (key.startsWith("v/")) {
                variance.put(key.substring(2), array);
            }
        });
        updates = updateCount;
    }
}
