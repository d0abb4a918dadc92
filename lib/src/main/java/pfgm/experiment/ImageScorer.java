package pfgm.experiment;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleConsumer;
import pfgm.data.Pixels;
import pfgm.data.Split;
import pfgm.eval.Evaluation;
import pfgm.eval.FeatureNetworks;
import pfgm.eval.FeatureSet;
import pfgm.eval.ImageFeatures;
import pfgm.run.Run;
import pfgm.util.Rng;

/**
 * FID, IS, KID and precision/recall of samples against the run's test split at the size the run
 * was trained on (as pfgm eval scores a run), under the data set's usual feature network or one
 * named, computed on the run's device; the test split's features (and their precision/recall
 * manifold) are made once per data set and size.
 */
final class ImageScorer implements Scorer {
    private final Set<Evaluation.Metric> metrics;
    private final String features;
    private final int batchSize;
    private final Device device;
    private final Map<String, ImageFeatures> networks = new HashMap<>();
    private final Map<String, Evaluation.Reference> references = new HashMap<>();

    /**
     * @param features a feature network name (pfgm.eval.FeatureNetworks), or null for the data set's usual one
     * @param device where the feature network computes
     */
    ImageScorer(Set<Evaluation.Metric> metrics, String features, int batchSize, Device device) {
        this.metrics = metrics;
        this.features = features;
        this.batchSize = batchSize;
        this.device = device;
    }

    @Override
    public List<String> columns() {
        List<String> columns = new ArrayList<>();
        for (Evaluation.Metric m : metrics) {
            columns.addAll(switch (m) {
                case FID -> List.of("fid");
                case IS -> List.of("is", "is_std");
                case KID -> List.of("kid", "kid_std");
                case PR -> List.of("precision", "recall");
            });
        }
        return columns;
    }

    @Override
    public double[] score(Run run, NDArray samples, long seed, DoubleConsumer progress) throws IOException {
        String data = run.preset().data();
        String spec = features != null ? features : FeatureNetworks.defaultFor(data);
        ImageFeatures network = networks.get(spec);
        if (network == null) {
            network = FeatureNetworks.open(spec, device, line -> {});
            networks.put(spec, network);
        }
        String key = spec + "|" + data + "|" + run.preset().imageSize();
        Evaluation.Reference reference = references.get(key);
        if (reference == null) {
            // cpu: the test split is read from files into host memory; the network takes it batch by batch to its device.
            try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
                reference = Evaluation.Reference.of(FeatureSet.extract(network, run.images(manager, Split.TEST).images(),
                        batchSize, done -> {}));
            }
            references.put(key, reference);
        }
        NDArray pixels = Pixels.uncentre(samples, run.preset().network().sampleShape());
        long n = pixels.getShape().get(0);
        FeatureSet generated = FeatureSet.extract(network, pixels, batchSize, done -> progress.accept((double) done / n));
        Evaluation.Scores scores = Evaluation.of(metrics, generated, reference, new Rng(seed));
        List<Double> values = new ArrayList<>();
        for (Evaluation.Metric m : metrics) {
            switch (m) {
                case FID -> values.add(scores.fid());
                case IS -> values.addAll(List.of(scores.inceptionScore(), scores.inceptionScoreStd()));
                case KID -> values.addAll(List.of(scores.kid(), scores.kidStd()));
                case PR -> values.addAll(List.of(scores.precision(), scores.recall()));
            }
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Override
    public String features(Run run) {
        return features != null ? features : FeatureNetworks.defaultFor(run.preset().data());
    }

    @Override
    public void close() {
        networks.values().forEach(ImageFeatures::close);
    }
}
