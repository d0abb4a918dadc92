package pfgm.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import pfgm.nn.BlockNetwork;
import pfgm.nn.Network;
import pfgm.util.CodeVersion;
import pfgm.util.Devices;
import pfgm.util.GradMode;
import pfgm.util.Interrupts;
import pfgm.util.Rng;
import pfgm.util.TorchOps;
import pfgm.util.Weights;

/**
 * Trains a network on a method's objective with Adam, warm-up, gradient clipping and an EMA of
 * the weights, writing a checkpoint every {@code checkpointEvery} steps. Every random draw of step k
 * comes from {@code Rng.forStep(seed, k)} (dropout included, through the engine's seed), so a run
 * resumed from a checkpoint continues with exactly the numbers it would have had.
 *
 * <p>Given several devices, it trains data-parallel ({@link Replicas}): the same steps, the
 * network's rows split over a replica per device, one optimizer step on the first. Checkpoints
 * are the same, so a run may resume on another number of devices.
 */
public final class Trainer implements AutoCloseable {
    /** Hooks for progress bars, live plots and sample grids. */
    public interface Listener {
        default void onStep(long step, double loss) {}

        default void onLog(Metrics.Row row, Metrics metrics) {}

        /** The wall time of the step's parts (see {@link StepTimes}). */
        default void onStepTimes(long step, StepTimes times) {}
    }

    /**
     * Milliseconds of one training step's parts, by wall clock. On the CPU every native call is
     * synchronous, so the parts are exact; on a GPU kernels run asynchronously and their time lands
     * in the part that waits for them (the loss read-back at the end of backward).
     *
     * @param data drawing the batch
     * @param target what the method's loss draws before the network sees the batch: for PFGM the
     *     perturbation and the field target over the large batch
     * @param forward the model's forward pass and the rows' losses (every replica's)
     * @param backward the backward pass, adding the replicas' gradients onto the first's, and
     *     reading the loss
     * @param optimizer gradient norm and clipping, Adam, the EMA, zeroing the gradients, copying
     *     the weights to the other replicas
     */
    public record StepTimes(double data, double target, double forward, double backward, double optimizer) {
        /** forward + backward + optimizer: the part PyTorch eager is compared on. */
        public double network() {
            return forward + backward + optimizer;
        }

        public double total() {
            return data + target + network();
        }
    }

    private final Block network;
    private final Shape sampleShape;
    private final BatchSource data;
    private final TrainConfig config;
    private final Path workdir;
    /** The step, counters, settings and training history the next checkpoint builds on. */
    private Checkpoint.Meta meta;
    private final NDManager manager;
    private final ParameterStore parameterStore;
    private final Objective objective;
    private final Loss loss;
    private final List<Pair<String, Parameter>> parameters;
    private final Adam adam;
    private final Ema ema;
    private final Replicas replicas;
    private final Metrics metrics;
    private final List<Listener> listeners = new ArrayList<>();
    private long step;
    private long lastCheckpoint;

    /** {@link #Trainer(Objective, Block, Shape, BatchSource, TrainConfig, Path, Map, List)} on one device. */
    public Trainer(Objective objective, Block network, Shape sampleShape, BatchSource data, TrainConfig config, Path workdir,
            Map<String, String> settings, Device device) throws IOException {
        this(objective, network, sampleShape, data, config, workdir, settings, List.of(device));
    }

    /**
     * Builds the run in {@code workdir}, resuming from its checkpoint when there is one.
     *
     * @param objective the method's loss and model
     * @param network the block the method trains ({@code Method.network})
     * @param sampleShape one sample's shape, (N) or (C, H, W)
     * @param settings what defines the run, stored in its checkpoints (the caller checks a resumed
     *     checkpoint's against the run's before it gets here)
     * @param devices a replica of the network on each (pfgm.util.Devices#list); the first holds
     *     the run: its weights, optimizer, EMA, and the arrays of sampling
     */
    public Trainer(Objective objective, Block network, Shape sampleShape, BatchSource data, TrainConfig config, Path workdir,
            Map<String, String> settings, List<Device> devices) throws IOException {
        this.objective = objective;
        this.loss = objective.loss(config);
        this.network = network;
        this.sampleShape = sampleShape;
        this.data = data;
        this.config = config;
        this.workdir = workdir;
        this.meta = new Checkpoint.Meta(0, 0, 0, settings, List.of());
        Files.createDirectories(workdir);
        Replicas.requireRows(devices, config.smallBatchSize()); // before the network is built: it may take a while
        manager = NDManager.newBaseManager(devices.get(0));
        Engine.getInstance().setRandomSeed((int) new Rng(config.seed()).nextLong());
        network.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(sampleShape), new Shape(1));
        parameterStore = new ParameterStore(manager, false);
        parameters = new ArrayList<>();
        network.getParameters().forEach(p -> {
            if (p.getValue().requiresGradient()) {
                parameters.add(p);
            }
        });
        adam = new Adam(config.beta1(), config.eps());
        ema = new Ema(config.emaDecay(), parameters);
        Checkpoint checkpoint = Checkpoint.readIfPresent(workdir, manager);
        if (checkpoint != null) {
            restore(checkpoint);
        }
        replicas = new Replicas(network, sampleShape, parameters, parameterStore, devices);
        metrics = Metrics.resume(workdir, step);
    }

    public Trainer addListener(Listener listener) {
        listeners.add(listener);
        return this;
    }

    /** Trains until {@code config.steps()} steps are done (nothing to do when a finished run is resumed). */
    public Metrics train() throws IOException {
        long started = System.nanoTime();
        double secondsBefore = metrics.table().rowCount() == 0 ? 0
                : metrics.table().doubleColumn("seconds").get(metrics.table().rowCount() - 1);
        while (step < config.steps()) {
            Interrupts.check("training interrupted after step " + step + "; train() again resumes from there");
            double lr = learningRate(step);
            double[] lossAndNorm = trainStep(lr);
            step++;
            listeners.forEach(l -> l.onStep(step, lossAndNorm[0]));
            if (step % config.logEvery() == 0 || step == config.steps()) {
                Metrics.Row row = new Metrics.Row((int) step, lossAndNorm[0], lr, lossAndNorm[1],
                        secondsBefore + (System.nanoTime() - started) / 1e9);
                metrics.add(row);
                listeners.forEach(l -> l.onLog(row, metrics));
            }
            if (step % config.checkpointEvery() == 0 || step == config.steps()) {
                checkpoint();
            }
        }
        return metrics;
    }

    /** lr * min(step / warmup, 1), with the official code's step count (0 on the first step). */
    double learningRate(long currentStep) {
        return config.warmup() > 0 ? config.lr() * Math.min((double) currentStep / config.warmup(), 1) : config.lr();
    }

    /** One optimization step; returns the loss and the gradient norm before clipping. */
    private double[] trainStep(double lr) {
        Rng rng = Rng.forStep(config.seed(), step);
        Engine.getInstance().setRandomSeed((int) rng.nextLong()); // dropout masks of this step
        try (NDScope scope = new NDScope()) {
            long started = System.nanoTime();
            NDArray batch = data.batch(manager, loss.rows(), rng);
            Devices.requireSame(batch.getDevice(), manager.getDevice(), "the training batch", "a BatchSource must make "
                    + "its batch with the manager it is given, or move it to that manager's device (toDevice, then attach)");
            NDArray rows = batch.reshape(batch.getShape().get(0), -1);
            long drawn = System.nanoTime();
            Loss.Targets targets = loss.prepare(rows, rng);
            long prepared = System.nanoTime();
            NDArray output;
            long forwardStarted;
            long forwardDone;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                forwardStarted = System.nanoTime();
                output = replicas.loss(objective, loss, targets);
                forwardDone = System.nanoTime();
                collector.backward(output);
            }
            GradMode.off(); // the collector restored this thread's mode, which may be on
            List<NDArray> gradients = new ArrayList<>(parameters.size());
            for (Pair<String, Parameter> p : parameters) {
                gradients.add(p.getValue().getArray().getGradient());
            }
            replicas.sumGradients(gradients);
            // Read back after the sum: on GPUs every replica's work is queued by then, and this waits once.
            double value = output.toType(DataType.FLOAT64, false).getDouble();
            long backwardDone = System.nanoTime();
            if (!Double.isFinite(value)) {
                throw TrainingDiverged.ofLoss(step, value, metrics.lastLosses(10), lastCheckpoint);
            }
            double gradNorm = TorchOps.enabled ? TorchOps.globalNorm(gradients) : globalNorm(gradients);
            if (!Double.isFinite(gradNorm)) {
                throw TrainingDiverged.ofGradient(step, value, gradNorm, metrics.lastLosses(10), lastCheckpoint);
            }
            // Adam zeroes the gradients it used: PyTorch accumulates them, the next step starts from zero.
            adam.step(parameters, gradients, clipCoefficient(gradNorm), lr, manager);
            ema.update(parameters);
            replicas.copyWeights();
            long updated = System.nanoTime();
            StepTimes times = new StepTimes((drawn - started) / 1e6, (prepared - drawn) / 1e6,
                    (forwardDone - forwardStarted) / 1e6, (backwardDone - forwardDone) / 1e6, (updated - backwardDone) / 1e6);
            long current = step + 1;
            listeners.forEach(l -> l.onStepTimes(current, times));
            return new double[] {value, gradNorm};
        }
    }

    /**
     * The norm of all gradients together, as torch's clip_grad_norm_ computes it: the norm of the
     * per-tensor norms (float32), read back once (NaN or infinite when a gradient is).
     */
    static double globalNorm(List<NDArray> gradients) {
        NDList norms = new NDList(gradients.size());
        for (NDArray g : gradients) {
            norms.add(g.norm());
        }
        return NDArrays.stack(norms).norm().toType(DataType.FLOAT64, false).getDouble();
    }

    /**
     * What torch's clip_grad_norm_ multiplies the gradients by: gradClip / (norm + 1e-6) when that
     * is below 1, else 1 (also when clipping is off, gradClip < 0). Adam applies it to the gradient
     * it reads, so the gradients themselves need no extra pass.
     */
    double clipCoefficient(double norm) {
        if (config.gradClip() < 0) {
            return 1;
        }
        return Math.min(config.gradClip() / (norm + 1e-6), 1);
    }

    private void checkpoint() throws IOException {
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        // Every parameter, also fixed ones (NCSN++'s Fourier projection): their values come from the
        // engine's generator, which differs between CPU and GPU, and an imported run brings its own.
        network.getParameters().forEach(p -> arrays.put("model/" + p.getKey(), p.getValue().getArray()));
        ema.weights().forEach((k, a) -> arrays.put("ema/" + k, a));
        adam.state().forEach((k, a) -> arrays.put("adam/" + k, a));
        meta = meta.trainedTo(step, adam.updates(), ema.updates(), CodeVersion.current());
        new Checkpoint(meta, arrays).write(workdir);
        metrics.save(workdir);
        lastCheckpoint = step;
    }

    private void restore(Checkpoint checkpoint) {
        Map<String, NDArray> model = checkpoint.group("model/");
        for (Pair<String, Parameter> p : parameters) {
            NDArray saved = model.get(p.getKey());
            NDArray current = p.getValue().getArray();
            if (saved == null || !saved.getShape().equals(current.getShape())) {
                throw new IllegalArgumentException("the checkpoint in " + workdir + " does not fit this network: parameter "
                        + p.getKey() + (saved == null ? " is missing" : " has shape " + saved.getShape()
                        + " instead of " + current.getShape()));
            }
            Weights.copy(saved, current);
        }
        for (Pair<String, Parameter> p : network.getParameters()) {
            NDArray saved = model.get(p.getKey());
            // Fixed parameters: checkpoints written before they were saved keep the seeded initial values.
            if (!p.getValue().requiresGradient() && saved != null) {
                if (!saved.getShape().equals(p.getValue().getArray().getShape())) {
                    throw new IllegalArgumentException("the checkpoint in " + workdir + " does not fit this network: parameter "
                            + p.getKey() + " has shape " + saved.getShape() + " instead of " + p.getValue().getArray().getShape());
                }
                Weights.copy(saved, p.getValue().getArray());
            }
        }
        ema.restore(checkpoint.group("ema/"), checkpoint.meta().emaUpdates());
        adam.restore(checkpoint.group("adam/"), checkpoint.meta().adamUpdates());
        step = checkpoint.step();
        lastCheckpoint = step;
        Checkpoint.Meta saved = checkpoint.meta();
        meta = new Checkpoint.Meta(saved.step(), saved.adamUpdates(), saved.emaUpdates(), meta.settings(), saved.trainedBy());
    }

    /**
     * Which code trained which of the run's steps, as of its last checkpoint (or of the checkpoint it
     * resumed from).
     */
    public Checkpoint.Meta history() {
        return meta;
    }

    /** Steps completed so far. */
    public long step() {
        return step;
    }

    /** Steps {@link #train} trains up to. */
    public long totalSteps() {
        return config.steps();
    }

    public Metrics metrics() {
        return metrics;
    }

    public Block network() {
        return network;
    }

    public Shape sampleShape() {
        return sampleShape;
    }

    public Objective objective() {
        return objective;
    }

    /** The method's model with the EMA weights, as samplers see it (what the paper samples with). */
    public Network emaModel() {
        return objective.model(emaNetwork());
    }

    /** The bare network with the EMA weights, in inference mode (before the method's preconditioning, if any). */
    public Network emaNetwork() {
        Map<Parameter, NDArray> byParameter = new IdentityHashMap<>();
        parameters.forEach(p -> byParameter.put(p.getValue(), ema.weights().get(p.getKey())));
        return new BlockNetwork(network, sampleShape, new SubstituteParameterStore(manager, byParameter), false);
    }

    /** The method's model with the current (not averaged) weights, in inference mode. */
    public Network currentModel() {
        return objective.model(new BlockNetwork(network, sampleShape, parameterStore, false));
    }

    /** Arrays for sampling live here: on the training device, closed with the trainer. */
    public NDManager manager() {
        return manager;
    }

    @Override
    public void close() {
        replicas.close();
        manager.close();
    }
}
