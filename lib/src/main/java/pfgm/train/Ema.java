package pfgm.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    public void update(List<Pair<String, Parameter>> parameters) {
        updates++;
        double d = Math.min(decay, (1.0 + updates) / (10.0 + updates));
        for (Pair<String, Parameter> p : parameters) {
            NDArray s = shadow.get(p.getKey());
            s.muli(d).addi(p.getValue().getArray().mul(1 - d));
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
