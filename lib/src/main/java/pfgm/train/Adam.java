package pfgm.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import pfgm.util.TorchOps;

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

    /** One update of every parameter from its gradient, at learning rate {@code lr}; zeroes the gradients. */
    public void step(List<Pair<String, Parameter>> parameters, double lr, NDManager stateManager) {
        List<NDArray> gradients = new java.util.ArrayList<>(parameters.size());
        for (Pair<String, Parameter> entry : parameters) {
            gradients.add(entry.getValue().getArray().getGradient());
        }
        step(parameters, gradients, 1, lr, stateManager);
    }

    /**
     * One update of every parameter from {@code scale} times its gradient (the clipping
     * coefficient: torch's clip_grad_norm_ scales the gradients in place before the step); the
     * gradients are zero afterwards.
     *
     * <p>With the kit's TorchScript module (pfgm.util.TorchOps) this is one call over all
     * parameters: torch.optim.Adam's multi-tensor step itself. Without it, each parameter is one
     * native call of the PyTorch engine's fused Adam update: m = beta1 m + (1 - beta1) g,
     * v = beta2 v + (1 - beta2) g^2, w -= lr' m / (sqrt(v) + eps'), which is torch.optim.Adam's
     * w -= (lr / c1) m / (sqrt(v) / sqrt(c2) + eps) (c1 = 1 - beta1^t, c2 = 1 - beta2^t) with
     * lr' = lr sqrt(c2) / c1 and eps' = eps sqrt(c2), equal up to float rounding. (The spelled-out
     * form took a dozen native calls per parameter and made a scalar array for each constant.)
     *
     * @param gradients the gradient of each parameter, in the same order
     */
    public void step(List<Pair<String, Parameter>> parameters, List<NDArray> gradients, double scale, double lr,
            NDManager stateManager) {
        updates++;
        double correction1 = 1 - Math.pow(beta1, updates);
        double sqrtCorrection2 = Math.sqrt(1 - Math.pow(BETA2, updates));
        List<NDArray> weights = new java.util.ArrayList<>(parameters.size());
        List<NDArray> means = new java.util.ArrayList<>(parameters.size());
        List<NDArray> variances = new java.util.ArrayList<>(parameters.size());
        for (Pair<String, Parameter> entry : parameters) {
            NDArray weight = entry.getValue().getArray();
            weights.add(weight);
            means.add(mean.computeIfAbsent(entry.getKey(), k -> persistent(stateManager.zeros(weight.getShape()))));
            variances.add(variance.computeIfAbsent(entry.getKey(), k -> persistent(stateManager.zeros(weight.getShape()))));
        }
        if (TorchOps.enabled) {
            TorchOps.adam(weights, gradients, means, variances, beta1, BETA2, lr / correction1, sqrtCorrection2, eps, scale);
            return;
        }
        float stepSize = (float) (lr * sqrtCorrection2 / correction1);
        float scaledEps = (float) (eps * sqrtCorrection2);
        for (int i = 0; i < weights.size(); i++) {
            // weight decay 0; the clip argument < 0 turns the engine's element-wise clamp off
            JniUtils.adamUpdate((PtNDArray) weights.get(i), (PtNDArray) gradients.get(i), (PtNDArray) means.get(i),
                    (PtNDArray) variances.get(i), stepSize, stepSize, 0f, (float) scale, -1f, (float) beta1, (float) BETA2,
                    scaledEps, false);
            JniUtils.zeroGrad((PtNDArray) weights.get(i));
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
