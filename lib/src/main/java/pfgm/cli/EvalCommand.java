package pfgm.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import pfgm.config.Preset;
import pfgm.data.Datasets;
import pfgm.data.Pixels;
import pfgm.eval.Evaluation;
import pfgm.eval.GaussianStats;
import pfgm.eval.ImageFeatures;
import pfgm.io.NumPy;
import pfgm.ode.Solution;
import pfgm.run.Run;
import pfgm.util.Rng;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Evaluate generated images: FID, Inception score, KID and precision/recall against a data set's "
            + "test split (or saved statistics, for FID and IS), under the kit's MNIST/Fashion classifier or a TorchScript "
            + "Inception network.",
            "Samples come from a trained run (--workdir) or a file (--samples); each call appends one row to the results CSV."})
final class EvalCommand implements Callable<Integer> {
    static final class Source {
        @Option(names = "--workdir", required = true, description = "A trained run (pfgm train): draws --n samples with its EMA weights.")
        Path workdir;

        @Option(names = "--samples", required = true, description = "Images to evaluate: .npy (n, C, H, W), (n, H, W, C) or (n, N) "
                + "(centred floats in [-1, 1] as pfgm sample writes, or uint8 pixels), or a folder of PNG/JPEG files.")
        Path samples;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

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

    @Override
    public Integer call() throws Exception {
        if (n < 2) {
            throw new IllegalArgumentException("--n must be >= 2, got " + n);
        }
        int batchSize = featureOptions.batchSize();
        var wanted = Evaluation.Metric.parse(metrics);
        try (NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            Map<String, String> context = new LinkedHashMap<>();
            context.put("time", LocalDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString());
            NDArray pixels;
            NDArray referenceImages = null;
            if (source.workdir != null) {
                try (Run run = Run.reopen(source.workdir, device.resolve())) {
                    Preset settings = sampling.apply(run.preset());
                    Solution solution;
                    try (ProgressBar bar = Progress.fraction("sampling " + settings.sampling().label())) {
                        solution = run.sample(n, settings, sampling.seed, batchSize, Progress.to(bar));
                    }
                    pixels = Pixels.uncentre(solution.y(), run.preset().network().sampleShape()).toDevice(ai.djl.Device.cpu(), false);
                    pixels.attach(manager);
                    if (data == null && referenceStats == null) {
                        // The test split at the size the model was trained on: a 16 x 16 model is not
                        // penalised for lacking the 28 x 28 detail it never saw.
                        referenceImages = run.images(manager, pfgm.data.Split.TEST).images();
                    }
                    data = data != null ? data : run.preset().data();
                    context.put("source", source.workdir + "@" + run.trainer().step());
                    context.put("method", settings.method().toString());
                    context.put("sampler", settings.sampling().label());
                    context.put("nfe", Integer.toString(solution.nfe()));
                }
            } else {
                if (data == null) {
                    throw new IllegalArgumentException("--samples needs --data NAME, the data set to compare with");
                }
                pixels = readImages(manager, source.samples);
                context.put("source", source.samples.toString());
                context.put("method", "");
                context.put("sampler", "");
                context.put("nfe", "");
            }
            context.put("data", referenceImages == null ? data : data + "@" + referenceImages.getShape().get(2) + "px");
            Evaluation.Scores scores;
            try (ImageFeatures network = featureOptions.open(data, device.resolve())) {
                context.put("features", network.identity().toString());
                var generated = Progress.features(network, pixels, batchSize, "samples");
                Evaluation.Reference reference = referenceStats != null ? Evaluation.Reference.of(GaussianStats.load(referenceStats))
                        : Evaluation.Reference.of(Progress.features(network, referenceImages != null ? referenceImages
                                : Datasets.load(manager, data, pfgm.data.Split.TEST).images(), batchSize, data + " test"));
                scores = Evaluation.of(wanted, generated, reference, new Rng(sampling.seed));
            }
            System.out.println(scores.table("eval").print());
            Files.createDirectories(results.toAbsolutePath().getParent());
            scores.appendTo(results, context);
            System.out.println("appended to " + results);
        }
        return 0;
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
