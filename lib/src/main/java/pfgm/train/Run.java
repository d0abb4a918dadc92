package pfgm.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleConsumer;
import pfgm.config.Preset;
import pfgm.config.Presets;
import pfgm.config.Records;
import pfgm.config.SamplingConfig;
import pfgm.method.Method;
import pfgm.method.Methods;
import pfgm.method.Pfgm;
import pfgm.nn.Preconditioned;
import pfgm.data.BatchSampler;
import pfgm.data.Datasets;
import pfgm.data.ImageData;
import pfgm.data.Split;
import pfgm.data.Toy2D;
import pfgm.io.AtomicFiles;
import pfgm.nn.Networks;
import pfgm.ode.Solution;
import pfgm.plot.Charts;
import pfgm.plot.ImageGrid;
import pfgm.util.Rng;

/**
 * A training run in a work directory: the preset (with its overrides, saved in run.properties so
 * that sampling and resuming rebuild the same run), its data, network and trainer, and sample
 * grids written at snapshots. What {@code pfgm train} and the training notebook use.
 */
public final class Run implements AutoCloseable {
    static final String SETTINGS = "run.properties";
    /** {@code data=synthetic}: random batches of the network's input shape, for benchmarks (no data set needed). */
    public static final String SYNTHETIC = "synthetic";
    private final Preset preset;
    private final Path workdir;
    private final NDManager dataManager;
    private final Trainer trainer;

    private Run(Preset preset, Path workdir, Device device) throws IOException {
        this.preset = preset;
        this.workdir = workdir;
        dataManager = NDManager.newBaseManager(Device.cpu());
        Method method = Methods.of(preset);
        Block network = Networks.build(preset.network(), method.extraOutputs());
        if (method instanceof Pfgm && preset.pfgm().preconditionScale() > 0) {
            network = new Preconditioned(network, preset.pfgm().preconditionScale(), preset.pfgm().gamma());
        }
        trainer = new Trainer(method, network, preset.network().sampleShape(), batches(), preset.train(), workdir,
                preset.fingerprint(), device);
        if (preset.train().snapshotEvery() > 0) {
            trainer.addListener(new Trainer.Listener() {
                @Override
                public void onStep(long step, double loss) {
                    if (step % preset.train().snapshotEvery() == 0 || step == preset.train().steps()) {
                        snapshot(step);
                    }
                }
            });
        }
    }

    /**
     * Opens (or resumes) the run in {@code workdir}: a new run takes the preset and overrides
     * given; an existing one must be resumed with the same ones, except steps and intervals.
     */
    public static Run open(String presetName, Map<String, String> overrides, Path workdir, Device device) throws IOException {
        Files.createDirectories(workdir);
        Preset preset = Presets.named(presetName);
        for (Map.Entry<String, String> o : overrides.entrySet()) {
            preset = Records.with(preset, o.getKey(), o.getValue());
        }
        Run run = new Run(preset, workdir, device);
        // Written once the run has opened: settings its checkpoint refuses must not replace the run's own.
        try {
            StringBuilder settings = new StringBuilder("preset=" + presetName + "\n");
            overrides.forEach((k, v) -> settings.append("set.").append(k).append('=').append(v).append('\n'));
            AtomicFiles.write(workdir.resolve(SETTINGS), out -> out.write(settings.toString().getBytes(StandardCharsets.UTF_8)));
            AtomicFiles.write(workdir.resolve("preset.txt"), out -> out.write(
                    Records.describe(Presets.named(presetName)).getBytes(StandardCharsets.UTF_8)));
        } catch (IOException | RuntimeException e) {
            run.close();
            throw e;
        }
        return run;
    }

    /** Reopens a run from the settings saved in its work directory (for sampling). */
    public static Run reopen(Path workdir, Device device) throws IOException {
        Path file = workdir.resolve(SETTINGS);
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(workdir + " holds no run (no " + SETTINGS + "); train one with pfgm train");
        }
        String name = null;
        Map<String, String> overrides = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("preset=")) {
                name = line.substring(7);
            } else if (line.startsWith("set.")) {
                int eq = line.indexOf('=');
                overrides.put(line.substring(4, eq), line.substring(eq + 1));
            }
        }
        return open(name, overrides, workdir, device);
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

    public Trainer trainer() {
        return trainer;
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
        requireSameTraining(settings);
        int batches = (n + batchSize - 1) / batchSize;
        if (batch < 0 || batch >= batches) {
            throw new IllegalArgumentException("batch " + batch + " does not exist: " + n + " samples in batches of "
                    + batchSize + " make batches 0 to " + (batches - 1));
        }
        int dim = Math.toIntExact(preset.network().sampleShape().size());
        int size = Math.min(batchSize, n - batch * batchSize);
        // One batch keeps new Rng(seed), what the draws of one batch used before batches existed.
        Rng rng = batches == 1 ? new Rng(seed) : Rng.forStep(seed, batch);
        return Methods.of(settings).generate(trainer.emaNetwork(), dim, settings.sampling(), trainer.manager(), size, rng,
                false, progress);
    }

    /** Sampling may change what sampling reads, not what the network learned: that would feed it inputs it never saw. */
    private void requireSameTraining(Preset settings) {
        if (!settings.method().equals(preset.method())) {
            throw new IllegalArgumentException("run " + workdir + " was trained with method " + preset.method()
                    + "; sampling cannot switch it to " + settings.method() + " (train a run of that method)");
        }
        List<String> trained = List.of(preset.fingerprint().split(";"));
        List<String> changed = java.util.Arrays.stream(settings.fingerprint().split(";")).filter(l -> !trained.contains(l)).toList();
        if (!changed.isEmpty()) {
            throw new IllegalArgumentException("run " + workdir + " was trained with other values of " + String.join(", ", changed)
                    + "; sampling can change only the settings sampling reads (sampling.*, and the method's sampling "
                    + "range such as pfgm.zMax or sde.sampleEps); train a new run for the others");
        }
    }

    /** A picture of samples: an image grid, or a scatter plot for 2-D data. */
    public BufferedImage picture(NDArray samples) {
        if (preset.isToy()) {
            var chart = Charts.scatter(Charts.chart(preset.name() + " samples", "x1", "x2"), "samples",
                    pfgm.util.Matrices.rows(samples));
            return org.knowm.xchart.BitmapEncoder.getBufferedImage(chart);
        }
        long n = samples.getShape().get(0);
        NDArray images = samples.reshape(new Shape(n).addAll(preset.network().sampleShape())).clip(-1, 1);
        return ImageGrid.render(images, (int) Math.ceil(Math.sqrt(n)), 2);
    }

    /** Writes 64 EMA samples of this step as a PNG under samples/. */
    void snapshot(long step) {
        try {
            Solution s = sample(64, preset.sampling(), step);
            Path png = workdir.resolve("samples").resolve(String.format("step-%07d.png", step));
            Files.createDirectories(png.getParent());
            javax.imageio.ImageIO.write(picture(s.y()), "png", png.toFile());
            s.y().close();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The loss curve of the run so far. */
    public org.knowm.xchart.XYChart lossChart() {
        var table = trainer.metrics().table();
        // XChart refuses an empty series: before the first logged step the curve is one point at 1.
        double[] steps = table.rowCount() == 0 ? new double[] {0} : table.intColumn("step").asDoubleArray();
        double[] loss = table.rowCount() == 0 ? new double[] {1} : table.doubleColumn("loss").asDoubleArray();
        var chart = Charts.line(Charts.chart(preset.name() + " training loss", "step", "loss"), "loss", steps, loss);
        chart.getStyler().setYAxisLogarithmic(true);
        return chart;
    }

    public Path workdir() {
        return workdir;
    }

    @Override
    public void close() {
        trainer.close();
        dataManager.close();
    }

    /** Parses "key=value" overrides. */
    public static Map<String, String> overrides(List<String> assignments) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String a : assignments == null ? new ArrayList<String>() : assignments) {
            int eq = a.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("--set takes key=value, got '" + a + "'");
            }
            out.put(a.substring(0, eq).strip(), a.substring(eq + 1).strip());
        }
        return out;
    }
}
