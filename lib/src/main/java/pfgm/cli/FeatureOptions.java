package pfgm.cli;

import ai.djl.Device;
import java.io.IOException;
import pfgm.eval.FeatureNetworks;
import pfgm.eval.ImageFeatures;
import picocli.CommandLine.Option;

/** The feature network options of the commands that extract image features. */
final class FeatureOptions {
    @Option(names = "--features", description = "mnist, fashion (the kit's committed classifiers), mnist:PATH, fashion:PATH "
            + "(your weights, from pfgm features train), inception:PATH or inception (file from $PFGM_INCEPTION) "
            + "(default: mnist/fashion for those data sets, else inception).")
    String features;

    @Option(names = "--batch-size", defaultValue = "500", description = "Images per feature batch; for eval also samples per ODE "
            + "batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    /** The network asked for, or the usual one for {@code data}. */
    String spec(String data) {
        return features != null ? features : FeatureNetworks.defaultFor(data);
    }

    int batchSize() {
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch-size must be >= 1, got " + batchSize);
        }
        return batchSize;
    }

    ImageFeatures open(String data, Device device) throws IOException {
        return FeatureNetworks.open(spec(data), device, System.err::println);
    }
}
