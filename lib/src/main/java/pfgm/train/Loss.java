package pfgm.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import pfgm.nn.Network;
import pfgm.util.Rng;

/**
 * A method's training objective in two parts: what it draws from a batch of data before the
 * network sees it (perturbed inputs, their labels, the targets), and the loss of each row given
 * the model's output. Split so that the targets are computed once per step over the whole batch
 * (PFGM's field over its large batch) while the rows may be scored in parts, on several replicas
 * of the network (Replicas); the step's loss is the mean of the rows' losses.
 */
public interface Loss {
    /** Rows of data one step draws (PFGM: its large batch of charges; the others: the network's batch). */
    int rows();

    /** Everything random in a step: the network's inputs for {@code batch} (rows, N) of data. */
    Targets prepare(NDArray batch, Rng rng);

    /** The loss of each row (n) of {@code targets}, differentiable through {@code model}. */
    NDArray perRow(Network model, Targets targets);

    /** The loss of one step on {@code batch}: the mean of its rows' losses. */
    default NDArray of(Network model, NDArray batch, Rng rng) {
        return perRow(model, prepare(batch, rng)).mean();
    }

    /**
     * What the network is fed and scored against, one row per perturbed point.
     *
     * @param inputs (n, N) the network's data input
     * @param labels (n) its conditioning values
     * @param extras arrays with n rows the loss compares the output with (targets, weights, noise)
     */
    record Targets(NDArray inputs, NDArray labels, NDList extras) {
        public long size() {
            return inputs.getShape().get(0);
        }

        /** Rows [from, to) of every array, on {@code device}: one replica's share of the step. */
        public Targets rows(long from, long to, Device device) {
            NDList part = new NDList(extras.size());
            extras.forEach(a -> part.add(a.get(from + ":" + to).toDevice(device, false)));
            return new Targets(inputs.get(from + ":" + to).toDevice(device, false),
                    labels.get(from + ":" + to).toDevice(device, false), part);
        }
    }
}
