package pfgm.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import pfgm.config.Preset;
import pfgm.config.Settings;
import pfgm.data.Datasets;
import pfgm.data.Pixels;
import pfgm.eval.Evaluation;
import pfgm.eval.FeatureNetworks;
import pfgm.eval.GaussianStats;
import pfgm.eval.ImageFeatures;
import pfgm.io.CsvRows;
import pfgm.io.NumPy;
import pfgm.ode.Solution;
import pfgm.run.Provenance;
import pfgm.run.Run;
import pfgm.shard.BatchRange;
import pfgm.shard.Draw;
import pfgm.shard.Merged;
import pfgm.shard.Shard;
import pfgm.shard.ShardFile;
import pfgm.shard.ShardFolder;
import pfgm.shard.ShardSampler;
import pfgm.util.CodeVersion;
import pfgm.util.Rng;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Evaluate generated images: FID, Inception score, KID and precision/recall against a data set's "
            + "test split (or saved statistics, for FID and IS), under the kit's MNIST/Fashion classifier or a TorchScript "
            + "Inception network.",
            "Samples come from a trained run (--workdir) or a file (--samples); each call appends one row to the results CSV.",
            "Sharded: --workdir RUN --shard k/K --shard-out DIR draws and keeps shard k of K (whole batches) and appends no row; "
            + "--merge DIR scores the shards of DIR and appends the row one process over all batches would (docs/scale-out.md)."})
final class EvalCommand implements Callable<Integer> {
    static final class Source {
        @Option(names = "--workdir", required = true, description = "A trained run (pfgm train): draws --n samples with its EMA weights.")
        Path workdir;

        @Option(names = "--samples", required = true, description = "Images to evaluate: .npy (n, C, H, W), (n, H, W, C) or (n, N) "
                + "(centred floats in [-1, 1] as pfgm sample writes, or uint8 pixels), or a folder of PNG/JPEG files.")
        Path samples;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Source source;

    @Option(names = "--shard", description = "k/K: draw only shard k of K (counted from 1; the batches split evenly, a "
            + "shard is whole batches) and write its samples, features and feature moments to --shard-out; appends no row.")
    String shard;

    @Option(names = "--shard-out", description = "Folder of the shard files (one draw per folder); a shard already there is kept.")
    Path shardOut;

    @Option(names = "--merge", description = "Score the shards in this folder as one draw. Alone it takes the run, --n, "
            + "--seed, --batch-size, --features and the sampler from the shards; with --workdir and those options it first "
            + "checks that the shards are that draw.")
    Path merge;

    @Spec
    CommandSpec spec;

    @Option(names = "--n", defaultValue = "10000", description = "Samples to draw from the run, or the first n of --samples (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--metrics", defaultValue = "fid,is,kid,pr", description = "Comma-separated: fid, is, kid, pr (default: ${DEFAULT-VALUE}).")
    String metrics;

    @Option(names = "--data", description = "Reference data set whose test split the samples are compared with (default: the run's "
            + "data, at the run's image size).")
    String data;

    @Option(names = "--reference-stats", description = "FID statistics (.npz with mu, sigma, as pfgm stats or pytorch-fid write) "
            + "instead of the data set's features; serves fid and is only.")
    Path referenceStats;

    @Option(names = "--results", defaultValue = "results/eval.csv", description = "CSV that gets one row per evaluation (default: ${DEFAULT-VALUE}).")
    Path results;

    @Mixin
    FeatureOptions featureOptions;

    @Mixin
    SamplingOptions sampling;

    @Mixin
    DeviceOption device;

    /** The options that describe a draw: --merge alone takes them from the shards. */
    private static final java.util.List<String> DRAW_OPTIONS = java.util.List.of("--n", "--seed", "--batch-size", "--features",
            "--solver", "--steps", "--rtol", "--atol", "--z-max", "--upper-norm", "--z-min", "--z-exp", "--set");

    @Override
    public Integer call() throws Exception {
        if (source == null && merge == null) {
            throw new IllegalArgumentException("give --workdir RUN (sample a run), --samples FILE (score images) or --merge DIR "
                    + "(score shards)");
        }
        if (n < 2) {
            throw new IllegalArgumentException("--n must be >= 2, got " + n);
        }
        int batchSize = featureOptions.batchSize();
        var wanted = Evaluation.Metric.parse(metrics);
        if (shard != null || shardOut != null) {
            return writeShard(batchSize);
        }
        long began = System.nanoTime();
        // cpu: the images (samples, files, the test split) are held in host memory; the feature network
        // computes on --device, taking them there batch by batch.
        try (NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            Map<String, Object> row = new LinkedHashMap<>();
            Provenance provenance = Provenance.here(device.resolve());
            NDArray pixels = null;
            NDArray referenceImages = null;
            Merged merged = null;
            String features;
            if (merge != null) {
                if (source == null) {
                    refuseDrawOptions();
                }
                merged = ShardFolder.merge(merge, !wanted.equals(java.util.EnumSet.of(Evaluation.Metric.FID)));
                Draw draw = merged.draw();
                try (Run run = Run.reopen(source != null ? source.workdir : Path.of(draw.run()), device.resolve())) {
                    if (source != null) {
                        requireAsked(run, draw);
                    }
                    noteOtherCode(run);
                    referenceImages = referenceImages(run, manager);
                    provenance.run(run).sampling(Settings.read(run.preset(), draw.settings()), draw.seed(), draw.n(),
                            draw.batchSize(), merged.nfe());
                }
                // The run as this command names it, as one process's row does (a Spark task may have named it otherwise).
                row.put("source", source != null ? source.workdir.toString() : draw.run());
                row.put("method", draw.method());
                features = draw.features();
                batchSize = draw.batchSize(); // the reference's features in the batches the shards' were
            } else if (source.workdir != null) {
                try (Run run = Run.reopen(source.workdir, device.resolve())) {
                    noteOtherCode(run);
                    Preset settings = sampling.apply(run.preset());
                    Solution solution;
                    try (ProgressBar bar = Progress.fraction("sampling " + settings.sampling().label())) {
                        solution = run.sample(n, settings, sampling.seed, batchSize, Progress.to(bar));
                    }
                    // cpu: the samples outlive the run, whose manager closes below; attach alone would not move them.
                    pixels = Pixels.uncentre(solution.y(), run.preset().network().sampleShape()).toDevice(ai.djl.Device.cpu(), false);
                    pixels.attach(manager);
                    referenceImages = referenceImages(run, manager);
                    row.put("source", source.workdir.toString());
                    row.put("method", settings.method().toString());
                    provenance.run(run).sampling(settings, sampling.seed, n, batchSize, solution.nfe());
                }
                features = featureOptions.spec(data);
            } else {
                if (data == null) {
                    throw new IllegalArgumentException("--samples needs --data NAME, the data set to compare with");
                }
                pixels = readImages(manager, source.samples);
                row.put("source", source.samples.toString());
                row.put("method", "");
                features = featureOptions.spec(data);
            }
            row.put("data", referenceImages == null ? data : data + "@" + referenceImages.getShape().get(2) + "px");
            Evaluation.Scores scores;
            try (ImageFeatures network = FeatureNetworks.open(features, device.resolve(), System.err::println)) {
                provenance.features(network.identity());
                Evaluation.Reference reference = referenceStats != null ? Evaluation.Reference.of(GaussianStats.load(referenceStats))
                        : Evaluation.Reference.of(Progress.features(network, referenceImages != null ? referenceImages
                                : Datasets.load(manager, data, pfgm.data.Split.TEST).images(), batchSize, data + " test"));
                scores = merged != null
                        ? Evaluation.of(wanted, merged.moments(), merged.features(), reference, new Rng(merged.draw().seed()))
                        : Evaluation.of(wanted, Progress.features(network, pixels, batchSize, "samples"), reference,
                                new Rng(sampling.seed));
            }
            System.out.println(scores.table("eval").print());
            if (merged == null && source.samples != null) {
                provenance.samples(scores.n());
            }
            row.putAll(scores.columns());
            row.putAll(provenance.seconds((System.nanoTime() - began) / 1e9).columns());
            CsvRows.append(results, row);
            System.out.println("appended to " + results);
        }
        return 0;
    }

    /** Scoring a run that other code trained is allowed, and said; the row records both versions. */
    private static void noteOtherCode(Run run) {
        var history = run.trainer().history();
        if (history.trainedByOtherCode(CodeVersion.current())) {
            System.err.println("pfgm: note: " + run.workdir() + " was trained by " + history.history() + "; this is "
                    + CodeVersion.current().id() + " (the row records both)");
        }
    }

    /**
     * The test split at the size the model was trained on, unless --data or --reference-stats name
     * another reference (then null); sets --data to the run's data set when not given. A 16 x 16
     * model is not penalised for lacking the 28 x 28 detail it never saw.
     */
    private NDArray referenceImages(Run run, NDManager manager) {
        NDArray images = data == null && referenceStats == null ? run.images(manager, pfgm.data.Split.TEST).images() : null;
        data = data != null ? data : run.preset().data();
        return images;
    }

    /** Draws shard k/K of the run and writes it: the part of a sharded evaluation one machine (or GPU) does. */
    private Integer writeShard(int batchSize) throws java.io.IOException {
        if (shard == null || shardOut == null || source == null || source.workdir == null || merge != null) {
            throw new IllegalArgumentException("--shard k/K and --shard-out DIR go together, with --workdir RUN "
                    + "(not with --samples or --merge)");
        }
        BatchRange range = BatchRange.shard(n, batchSize, shard);
        try (Run run = Run.reopen(source.workdir, device.resolve())) {
            Preset settings = sampling.apply(run.preset());
            String features = featureOptions.spec(data != null ? data : run.preset().data());
            Draw draw = Draw.of(run, settings, sampling.seed, n, batchSize, features);
            ShardFolder.requireOnly(shardOut, draw);
            Path file = shardOut.resolve(ShardFile.name(range));
            if (Files.exists(file)) {
                // Written atomically and of this draw (checked above): a rerun after a lost task redraws nothing.
                System.out.println("shard " + shard + ": " + range + " is already in " + file + "; kept");
                return 0;
            }
            Shard drawn;
            try (ImageFeatures network = FeatureNetworks.open(features, device.resolve(), System.err::println);
                    ProgressBar bar = Progress.fraction("shard " + shard + ", " + settings.sampling().label())) {
                drawn = ShardSampler.draw(run, settings, draw, range, shard, network, Progress.to(bar));
            }
            ShardFile.save(drawn, shardOut);
            System.out.println("shard " + shard + ": " + range + " written to " + file);
        }
        return 0;
    }

    /** --merge alone takes the draw from the shards: an option that describes one would be silently ignored. */
    private void refuseDrawOptions() {
        for (String option : DRAW_OPTIONS) {
            if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
                throw new IllegalArgumentException("--merge without --workdir takes " + option + " from the shards; drop it, "
                        + "or give --workdir RUN with the shards' options to check that they are that draw");
            }
        }
    }

    /** With --workdir, --merge checks that the shards are the draw the options describe. */
    private void requireAsked(Run run, Draw draw) {
        Preset settings = sampling.apply(run.preset());
        Draw asked = Draw.of(run, settings, sampling.seed, n, featureOptions.batchSize(),
                featureOptions.spec(data != null ? data : run.preset().data()));
        java.util.List<String> differences = asked.differences(draw, "asked", "in the shards");
        if (!differences.isEmpty()) {
            throw new IllegalArgumentException("the shards in " + merge + " are not the draw these options describe: "
                    + String.join("; ", differences));
        }
    }

    /** The first n images of a .npy file or an image folder, as pixel values (n, C, H, W) in [0, 255]. */
    private NDArray readImages(NDManager manager, Path file) {
        NDArray array;
        if (Files.isDirectory(file)) {
            array = Datasets.load(manager, "folder:" + file, pfgm.data.Split.TRAIN).images();
        } else {
            array = NumPy.read(manager, file);
        }
        long count = Math.min(n, array.getShape().get(0));
        array = array.get("0:" + count);
        Shape shape = array.getShape();
        if (shape.dimension() == 2) {
            long dim = shape.get(1);
            long channels = isSquare(dim) ? 1 : dim % 3 == 0 && isSquare(dim / 3) ? 3 : 0;
            if (channels == 0) {
                throw new IllegalArgumentException(file + " has shape " + shape + ": rows of N values must be square grey"
                        + " (N = H * H) or colour (N = 3 * H * H) images");
            }
            long side = Math.round(Math.sqrt(dim / channels));
            shape = new Shape(count, channels, side, side);
        } else if (shape.dimension() == 4 && shape.get(1) != 1 && shape.get(1) != 3 && (shape.get(3) == 1 || shape.get(3) == 3)) {
            array = array.transpose(0, 3, 1, 2);
            shape = array.getShape();
        } else if (shape.dimension() != 4) {
            throw new IllegalArgumentException(file + " has shape " + shape + "; expected (n, C, H, W), (n, H, W, C) or (n, N)");
        }
        if (array.getDataType() == DataType.UINT8) {
            return array.reshape(shape).toType(DataType.FLOAT32, false);
        }
        return Pixels.uncentre(array, shape.slice(1));
    }

    private static boolean isSquare(long value) {
        long root = Math.round(Math.sqrt(value));
        return root * root == value;
    }
}
