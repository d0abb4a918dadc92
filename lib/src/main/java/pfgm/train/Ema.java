package pfgm.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import pfgm.util.TorchOps;

/**
 * Exponential moving average of the weights, as the score-SDE code keeps it: the decay is
 * min(decay, (1 + n) / (10 + n)) after n updates, so early averages are not dominated by the
 * random initialization.
 */
public final class Ema {
    private final double decay;
    private final Map<String, NDArray> shadow = new LinkedHashMap<>();
    private long updates;

    public Ema(double decay, List<Pair<String, Parameter>> parameters) {
        this.decay = decay;
        for (Pair<String, Parameter> p : parameters) {
            shadow.put(p.getKey(), p.getValue().getArray().duplicate());
        }
    }

    /**
     * One update, s -= (1 - d) (s - w), as the official ExponentialMovingAverage computes it: with the
     * kit's TorchScript module one call over all parameters (its foreach form), else one native call
     * per parameter, the PyTorch engine's SGD update, which computes s -= lr (rescale g + wd s) for a
     * "gradient" g and with g = w, rescale -1, wd 1 and lr = 1 - d is that formula in the same order
     * of float operations ((s - w), times (1 - d), subtracted from s).
     */
    public void update(List<Pair<String, Parameter>> parameters) {
        updates++;
        double d = Math.min(decay, (1.0 + updates) / (10.0 + updates));
        if (TorchOps.enabled) {
            List<NDArray> averages = new java.util.ArrayList<>(parameters.size());
            List<NDArray> weights = new java.util.ArrayList<>(parameters.size());
            for (Pair<String, Parameter> p : parameters) {
                averages.add(shadow.get(p.getKey()));
                weights.add(p.getValue().getArray());
            }
            TorchOps.ema(averages, weights, 1 - d);
            return;
        }
        float oneMinusDecay = (float) (1 - d);
        for (Pair<String, Parameter> p : parameters) {
            PtNDArray s = (PtNDArray) shadow.get(p.getKey());
            JniUtils.sgdUpdate(s, (PtNDArray) p.getValue().getArray(), null, oneMinusDecay, 1f, -1f, -1f, 0f);
        }
    }

    /** The averaged weights by parameter name. */
    public Map<String, NDArray> weights() {
        return shadow;
    }

    public long updates() {
        return updates;
    }

    public void restore(Map<String, NDArray> weights, long updateCount) {
        shadow.putAll(weights);
        updates = updateCount;
    }
}
