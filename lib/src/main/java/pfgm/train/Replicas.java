package pfgm.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import pfgm.nn.BlockNetwork;
import pfgm.util.GradMode;
import pfgm.util.Scalars;
import pfgm.util.Weights;

/**
 * Data parallelism on one machine: the network's rows of a step split over copies of its weights,
 * one per device. Replica 0 is the network itself, on the trainer's device, and the only one the
 * optimizer, the EMA and the checkpoints see; replica r > 0 is a copy of every parameter on device
 * r, which a {@link SubstituteParameterStore} hands to the same block.
 *
 * <p>A step: the loss's {@link Loss#prepare preparation} (everything random: PFGM's perturbation
 * and its field over the large batch) runs once, on device 0, exactly as with one device, so the
 * draws do not depend on the device count. Replica r scores rows [r n / R, (r + 1) n / R) of the n
 * rows. The step's loss is the sum of every replica's row losses over n, the mean one device takes,
 * for an uneven split too; its one backward pass gives replica r the gradient of its rows' sum over
 * n, and the sum of those onto replica 0's is the one-device gradient. Clipping then reads the
 * global norm of that sum, Adam and the EMA update replica 0 once, and its weights are copied to the
 * others. The result is one device's up to float rounding (the order of the sums differs), except
 * dropout: its masks are drawn per replica, so they differ with the split.
 *
 * <p>The replicas run one after the other on the calling thread: DJL allows one gradient
 * collector at a time, and a fixed order keeps a run's numbers reproducible. On GPUs the kernels
 * are queued without waiting (the trainer reads the loss back only after the gradients are summed),
 * so the devices could work at the same time (not measured: no GPU here); on the CPU the replicas
 * take turns on the same cores and are no faster than one.
 */
final class Replicas implements AutoCloseable {
    private final Block network;
    private final Shape sampleShape;
    private final List<Device> devices;
    private final List<Pair<String, Parameter>> trainable;
    private final List<ParameterStore> stores = new ArrayList<>();
    /** Replica r's copy of each parameter, for r > 0 (index r - 1). */
    private final List<Map<Parameter, NDArray>> copies = new ArrayList<>();
    private final List<NDManager> managers = new ArrayList<>();

    /**
     * @param trainable the parameters the optimizer updates (the others are copied once)
     * @param own the store that hands the network its own weights: replica 0's
     * @param devices one replica per entry, no more than a step's rows ({@link #requireRows}); the
     *     first is where {@code network} lives
     */
    Replicas(Block network, Shape sampleShape, List<Pair<String, Parameter>> trainable, ParameterStore own,
            List<Device> devices) {
        this.network = network;
        this.sampleShape = sampleShape;
        this.devices = List.copyOf(devices);
        this.trainable = trainable;
        stores.add(own);
        // A Jupyter cell's thread records gradients: a copy made there would be a non-leaf of autograd's graph.
        GradMode.off();
        for (Device device : devices.subList(1, devices.size())) {
            NDManager manager = NDManager.newBaseManager(device);
            managers.add(manager);
            Map<Parameter, NDArray> copy = new IdentityHashMap<>();
            network.getParameters().forEach(p -> {
                NDArray original = p.getValue().getArray();
                // toDevice to the array's own device would return the array itself, not a copy
                NDArray array = device.equals(original.getDevice()) ? original.duplicate() : original.toDevice(device, true);
                array.attach(manager);
                copy.put(p.getValue(), array);
            });
            trainable.forEach(p -> copy.get(p.getValue()).setRequiresGradient(true));
            copies.add(copy);
            stores.add(new SubstituteParameterStore(manager, copy));
        }
    }

    /** Refuses no device, and more devices than rows: every replica scores at least one row. */
    static void requireRows(List<Device> devices, int rows) {
        if (devices.isEmpty()) {
            throw new IllegalArgumentException("no device to train on: name one or more, such as cpu or gpu:0,gpu:1");
        }
        if (devices.size() > rows) {
            throw new IllegalArgumentException(devices.size() + " devices " + devices + " but the network's batch "
                    + "(smallBatchSize) has " + rows + " rows: each replica needs at least one; use at most " + rows
                    + " devices, or --set smallBatchSize=" + devices.size() + " or more");
        }
    }

    /**
     * The step's loss, on device 0: every row's loss, replica r scoring its share on device r,
     * summed and divided by the rows' count (one device's mean). Called inside the gradient
     * collector, whose backward pass then reaches every replica.
     */
    NDArray loss(Objective objective, Loss loss, Loss.Targets targets) {
        long n = targets.size();
        int count = devices.size();
        NDArray sum = null;
        for (int r = 0; r < count; r++) {
            Loss.Targets share = targets.rows(r * n / count, (r + 1) * n / count, devices.get(r));
            BlockNetwork replica = new BlockNetwork(network, sampleShape, stores.get(r), true);
            NDArray rowsSum = loss.perRow(objective.model(replica), share).sum().toDevice(devices.get(0), false);
            sum = sum == null ? rowsSum : sum.add(rowsSum);
        }
        // by a scalar PyTorch owns: autograd keeps the divisor for the backward pass (pfgm.util.Scalars)
        return sum.div(Scalars.of(sum, n));
    }

    /**
     * Adds the other replicas' gradients onto replica 0's, {@code gradients} (the trainable
     * parameters' in order), and zeroes theirs for the next step.
     */
    void sumGradients(List<NDArray> gradients) {
        for (Map<Parameter, NDArray> copy : copies) {
            for (int i = 0; i < trainable.size(); i++) {
                NDArray array = copy.get(trainable.get(i).getValue());
                gradients.get(i).addi(array.getGradient().toDevice(devices.get(0), false));
                JniUtils.zeroGrad((PtNDArray) array);
            }
        }
    }

    /** Copies replica 0's weights, after the optimizer's update, into the other replicas. */
    void copyWeights() {
        for (int r = 1; r < devices.size(); r++) {
            Map<Parameter, NDArray> copy = copies.get(r - 1);
            for (Pair<String, Parameter> p : trainable) {
                Weights.copy(p.getValue().getArray().toDevice(devices.get(r), false), copy.get(p.getValue()));
            }
        }
    }

    @Override
    public void close() {
        managers.forEach(NDManager::close);
    }
}
