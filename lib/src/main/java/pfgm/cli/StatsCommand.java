package pfgm.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import pfgm.data.Datasets;
import pfgm.data.Split;
import pfgm.eval.FeatureSet;
import pfgm.eval.ImageFeatures;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "stats", mixinStandardHelpOptions = true,
        description = {"Compute a data set's FID reference statistics once: the mean and covariance of its features, "
            + "saved as .npz with pytorch-fid's keys (mu, sigma), which pfgm eval --reference-stats reads."})
final class StatsCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, description = "Data set: mnist, fashion, cifar10, cifar10:<dir> or folder:<dir>[,...].")
    String data;

    @Option(names = "--split", defaultValue = "test", description = "train or test (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--n", description = "Use the first n images (default: all).")
    Integer n;

    @Option(names = "--out", required = true, description = "Output .npz.")
    Path out;

    @Mixin
    FeatureOptions featureOptions;

    @Mixin
    DeviceOption device;

    @Override
    public Integer call() throws Exception {
        Split which = switch (split) {
            case "train" -> Split.TRAIN;
            case "test" -> Split.TEST;
            default -> throw new IllegalArgumentException("--split must be train or test, got " + split);
        };
        // cpu: the data set is read into host memory; the feature network computes on --device, batch by batch.
        try (NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu());
                ImageFeatures network = featureOptions.open(data, device.resolve())) {
            NDArray images = Datasets.load(manager, data, which).images();
            if (n != null) {
                images = images.get("0:" + Math.min(n, images.getShape().get(0)));
            }
            FeatureSet set = Progress.features(network, images, featureOptions.batchSize(), data + " " + split);
            set.stats().save(out);
            System.out.printf("%s %s: %d images, %d features each; wrote %s (mu, sigma)%n", data, split, set.size(),
                    set.features()[0].length, out);
        }
        return 0;
    }
}
