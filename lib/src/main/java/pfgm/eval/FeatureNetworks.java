package pfgm.eval;

import ai.djl.Device;
import java.io.IOException;
import java.util.function.Consumer;
import pfgm.data.Datasets;

/** The feature networks by the names the commands and notebooks use. */
public final class FeatureNetworks {
    private FeatureNetworks() {}

    /**
     * "mnist" or "fashion" (the kit's classifier, trained and cached under data/cache on first use),
     * "inception:PATH" (a TorchScript Inception file), or "inception" (the file PFGM_INCEPTION names).
     */
    public static ImageFeatures open(String spec, Device device, Consumer<String> log) throws IOException {
        if (spec.equals("mnist") || spec.equals("fashion")) {
            return DigitClassifier.forDataset(spec, Datasets.dataDirectory().resolve("cache"), 0, log);
        }
        if (spec.equals("inception") || spec.startsWith("inception:")) {
            String path = spec.equals("inception") ? null : spec.substring("inception:".length());
            return InceptionNetwork.load(InceptionNetwork.locate(path), device);
        }
        throw new IllegalArgumentException("unknown features '" + spec + "': use mnist, fashion, inception or inception:PATH");
    }

    /** The usual features for a data set: its own classifier for MNIST and Fashion-MNIST, else Inception. */
    public static String defaultFor(String dataset) {
        return dataset.equals("mnist") || dataset.equals("fashion") ? dataset : "inception";
    }
}
