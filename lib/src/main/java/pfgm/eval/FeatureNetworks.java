package pfgm.eval;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.function.Consumer;

/** The feature networks by the names the commands and notebooks use. */
public final class FeatureNetworks {
    static final String USAGE = "use mnist or fashion (the kit's committed classifiers), mnist:PATH or fashion:PATH"
            + " (your own weights, e.g. from pfgm features train), inception:PATH or inception (the TorchScript file "
            + InceptionNetwork.ENV + " names)";

    private FeatureNetworks() {}

    /**
     * The network a spec names:
     *
     * <ul>
     *   <li>"mnist" or "fashion": the kit's classifier with its committed weights (refused if
     *       their SHA-256 is not the committed one);
     *   <li>"mnist:PATH" or "fashion:PATH": that classifier's architecture with the weights in PATH,
     *       whose identity says custom unless they are the committed bytes;
     *   <li>"inception:PATH", or "inception" for the file {@value InceptionNetwork#ENV} names: the
     *       TorchScript Inception network on {@code device}.
     * </ul>
     *
     * Each runs on {@code device}. The classifiers' float64 features are the same on every CPU; on a
     * GPU they can differ from those at rounding (docs/metrics.md). {@code log} receives the
     * network's identity.
     */
    public static ImageFeatures open(String spec, Device device, Consumer<String> log) {
        int colon = spec.indexOf(':');
        String kind = colon < 0 ? spec : spec.substring(0, colon);
        String path = colon < 0 ? null : spec.substring(colon + 1);
        if (path != null && path.isBlank()) {
            throw new IllegalArgumentException("features '" + spec + "' name no file after the colon; " + USAGE);
        }
        ImageFeatures network = switch (kind) {
            case "mnist", "fashion" -> DigitClassifier.load(path == null ? ClassifierWeights.committed(kind)
                    : ClassifierWeights.file(kind, Path.of(path)), device);
            case "inception" -> InceptionNetwork.load(InceptionNetwork.locate(path), device);
            default -> throw new IllegalArgumentException("unknown features '" + spec + "': " + USAGE);
        };
        log.accept("features: " + network.identity());
        return network;
    }

    /** The usual features for a data set: its own classifier for MNIST and Fashion-MNIST, else Inception. */
    public static String defaultFor(String dataset) {
        return dataset.equals("mnist") || dataset.equals("fashion") ? dataset : "inception";
    }
}
