package pfgm.run;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleConsumer;
import pfgm.config.Preset;
import pfgm.data.BatchSampler;
import pfgm.data.Datasets;
import pfgm.data.ImageData;
import pfgm.data.Split;
import pfgm.data.Toy2D;
import pfgm.method.Method;
import pfgm.ode.Solution;
import pfgm.sampling.SamplingConfig;
import pfgm.train.BatchSource;
import pfgm.train.Trainer;
import pfgm.util.Rng;

/**
 * A training run in its {@link RunDirectory}: the method, data, network and trainer its settings
 * describe, and sampling with its EMA weights. What {@code pfgm train}, {@code pfgm sample} and
 * the notebooks use.
 */
public final class Run implements AutoCloseable {
    /** {@code data=synthetic}: random batches of the network's input shape, for benchmarks (no data set needed). */
    public static final String SYNTHETIC = "synthetic";
    private final RunDirectory directory;
    private final Preset preset;
    private final Method method;
    private final NDManager dataManager;
    private final Trainer trainer;

    private Run(RunDirectory directory, List<Device> devices) throws IOException {
        this.directory = directory;
        this.preset = directory.preset();
        this.method = preset.createMethod();
        // cpu: the data set stays in host memory; BatchSampler moves each batch to the training device.
        dataManager = NDManager.newBaseManager(Device.cpu());
        trainer = new Trainer(method, method.network(preset.network()), preset.network().sampleShape(), batches(),
                preset.train(), directory.path(), directory.fingerprint().settings(), devices);
    }

    /**
     * Opens (or resumes) the run of {@code settings} in {@code workdir}: a new run takes them; an
     * existing one must have been trained with the same ones, except steps and intervals.
     */
    public static Run open(RunSettings settings, Path workdir, Device device) throws IOException {
        return open(settings, workdir, List.of(device));
    }

    /**
     * {@link #open(RunSettings, Path, Device)} training data-parallel, a replica of the network on
     * each device ({@code pfgm.util.Devices#list}); the first holds the run and samples. The
     * number of devices is not a setting of the run: it may change when the run resumes.
     */
    public static Run open(RunSettings settings, Path workdir, List<Device> devices) throws IOException {
        return new Run(RunDirectory.forTraining(workdir, settings), devices);
    }

    /** {@link #open(RunSettings, Path, Device)} of a preset with overrides. */
    public static Run open(String preset, Map<String, String> overrides, Path workdir, Device device) throws IOException {
        return open(new RunSettings(preset, overrides), workdir, device);
    }

    /** Reopens a run from the settings saved in its work directory (for sampling and evaluation). */
    public static Run reopen(Path workdir, Device device) throws IOException {
        return new Run(RunDirectory.existing(workdir), List.of(device));
    }

    private BatchSource batches() {
        if (preset.data().equals(SYNTHETIC)) {
            // Benchmarks of any preset without its data set: pixels uniform in [-1, 1], the preset's shape.
            Shape shape = preset.network().sampleShape();
            return (manager, size, rng) -> rng.uniform(manager, new Shape(size).addAll(shape), -1, 1);
        }
        if (preset.isToy()) {
            Toy2D toy = Toy2D.named(preset.data().substring(4));
            return toy::sample;
        }
        try {
            return new BatchSampler(images(dataManager, Split.TRAIN), preset.flip())::batch;
        } catch (IllegalArgumentException missing) {
            // Sampling or evaluating a run (an imported one above all) needs no training data: only
            // training fails without it, at its first step. (Loading it there instead would put the
            // data set in that step's NDScope, which closes it when the step ends.)
            return (manager, size, rng) -> {
                throw new IllegalArgumentException(missing.getMessage(), missing);
            };
        }
    }

    /**
     * A split of the run's image data at the size the network sees (MNIST at 16 x 16 for
     * mnist_small): what the model learnt, and so the reference its samples are scored against.
     */
    public ImageData images(NDManager manager, Split split) {
        ImageData images = Datasets.load(manager, preset.data(), split);
        if (preset.imageSize() > 0 && preset.imageSize() != images.height()) {
            images = images.resized(preset.imageSize(), preset.imageSize());
        }
        return images;
    }

    public Preset preset() {
        return preset;
    }

    public Method method() {
        return method;
    }

    public Trainer trainer() {
        return trainer;
    }

    public RunDirectory directory() {
        return directory;
    }

    public Path workdir() {
        return directory.path();
    }

    /** {@code n} samples (n, N) from the EMA weights with the given sampling settings. */
    public Solution sample(int n, SamplingConfig sampling, long seed) {
        return sample(n, preset.withSampling(sampling), seed, n, fraction -> {});
    }

    /**
     * {@code n} samples with the EMA weights, drawn in batches of at most {@code batchSize} (memory
     * grows with it), batch b from {@code Rng.forStep(seed, b)}; {@code progress} hears the
     * fraction done. {@code settings} gives the sampler and the method's sampling settings (the
     * run's preset, or a copy with some changed, such as another solver or PFGM's z_max); a change
     * to what the run learned (its method, network, data, training settings) is refused. The NFE
     * is the mean over batches. One batch is drawn from {@code new Rng(seed)}, as
     * {@link #sample(int, SamplingConfig, long)}.
     */
    public Solution sample(int n, Preset settings, long seed, int batchSize, DoubleConsumer progress) {
        int batches = (n + batchSize - 1) / batchSize;
        List<NDArray> parts = new ArrayList<>();
        long nfe = 0;
        for (int b = 0; b < batches; b++) {
            int size = Math.min(batchSize, n - b * batchSize);
            int done = b * batchSize;
            Solution s = sampleBatch(n, settings, seed, batchSize, b, f -> progress.accept((done + f * size) / n));
            parts.add(s.y());
            nfe += s.nfe();
        }
        progress.accept(1);
        NDArray y = parts.size() == 1 ? parts.get(0) : NDArrays.concat(new NDList(parts));
        return new Solution(y, Math.toIntExact(Math.round((double) nfe / batches)), List.of(), List.of());
    }

    /**
     * Batch {@code batch} alone of the {@link #sample(int, Preset, long, int, DoubleConsumer) sample}
     * of {@code n}: samples b * batchSize up to (b + 1) * batchSize (fewer in the last batch), equal
     * to those rows of the whole draw, so the batches can be drawn apart (sharded evaluation).
     * {@code progress} hears the fraction of this batch done. RK45 adapts one step size to the
     * whole batch, so a sample depends on its batch-mates: it is fixed by (seed, batchSize, its
     * index), not by the seed and its index alone.
     */
    public Solution sampleBatch(int n, Preset settings, long seed, int batchSize, int batch, DoubleConsumer progress) {
        directory.requireSameTraining(settings);
        int batches = (n + batchSize - 1) / batchSize;
        if (batch < 0 || batch >= batches) {
            throw new IllegalArgumentException("batch " + batch + " does not exist: " + n + " samples in batches of "
                    + batchSize + " make batches 0 to " + (batches - 1));
        }
        int dim = Math.toIntExact(preset.network().sampleShape().size());
        int size = Math.min(batchSize, n - batch * batchSize);
        // One batch keeps new Rng(seed), what the draws of one batch used before batches existed.
        Rng rng = batches == 1 ? new Rng(seed) : Rng.forStep(seed, batch);
        return settings.sampling().sampler().sample(settings.createMethod(), trainer.emaModel(), dim, trainer.manager(), size,
                rng, false, progress);
    }

    @Override
    public void close() {
        trainer.close();
        dataManager.close();
    }
}
