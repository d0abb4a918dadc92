package pfgm.shard;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleConsumer;
import pfgm.config.Preset;
import pfgm.data.Pixels;
import pfgm.eval.FeatureMoments;
import pfgm.eval.FeatureSet;
import pfgm.eval.ImageFeatures;
import pfgm.ode.Solution;
import pfgm.run.Run;

/**
 * Draws the batches of one shard from a run and extracts their features, batch by batch: the
 * samples of batch b are those of one process's draw (the same seed stream, the same batch-mates),
 * and the features come in batches of the same size starting at a multiple of it, as one process
 * extracts them, so they are the same numbers.
 */
public final class ShardSampler {
    private ShardSampler() {}

    /**
     * @param settings the sampling-time preset the draw describes
     * @param layout the {@code --shard} asked for ("3/8"), recorded for messages
     * @param progress hears the fraction of the shard done
     */
    public static Shard draw(Run run, Preset settings, Draw draw, BatchRange range, String layout, ImageFeatures network,
            DoubleConsumer progress) {
        Shape sampleShape = run.preset().network().sampleShape();
        List<double[]> features = new ArrayList<>();
        List<double[]> probabilities = new ArrayList<>();
        boolean withProbabilities = true;
        List<float[]> samples = new ArrayList<>();
        int[] nfe = new int[range.batches()];
        for (int b = range.first(); b < range.end(); b++) {
            int done = b - range.first();
            Solution s = run.sampleBatch(draw.n(), settings, draw.seed(), draw.batchSize(), b,
                    f -> progress.accept((done + f) / range.batches()));
            nfe[done] = s.nfe();
            // The scope closes the pixels and their intermediates; the samples are closed apart: they were
            // made outside it, by the network, whose lazily made parameters a scope around it would close.
            try (NDArray y = s.y(); NDScope scope = new NDScope()) {
                NDArray pixels = Pixels.uncentre(y, sampleShape);
                FeatureSet batch = FeatureSet.extract(network, pixels, draw.batchSize(), count -> {});
                features.addAll(List.of(batch.features()));
                withProbabilities &= batch.probabilities() != null;
                if (withProbabilities) {
                    probabilities.addAll(List.of(batch.probabilities()));
                }
                int dim = Math.toIntExact(y.getShape().size() / y.getShape().get(0));
                float[] flat = y.toFloatArray();
                for (int i = 0; i < flat.length / dim; i++) {
                    samples.add(java.util.Arrays.copyOfRange(flat, i * dim, (i + 1) * dim));
                }
            }
        }
        progress.accept(1);
        double[][] rows = features.toArray(double[][]::new);
        FeatureSet set = new FeatureSet(rows, withProbabilities ? probabilities.toArray(double[][]::new) : null);
        return new Shard(draw, range, layout, nfe, FeatureMoments.of(rows), set, samples.toArray(float[][]::new));
    }
}
