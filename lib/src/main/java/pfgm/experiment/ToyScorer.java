package pfgm.experiment;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.function.DoubleConsumer;
import pfgm.data.Toy2D;
import pfgm.eval.ToyMetrics;
import pfgm.run.Run;
import pfgm.util.Matrices;
import pfgm.util.Rng;

/**
 * The toy metrics of 2-D samples against as many fresh points of the set: the mean log-density
 * under the set's exact density beside the fresh points' own, the share within 2 standard
 * deviations of a mode, and the MMD two-sample test (ToyMetrics.BANDWIDTH, 200 permutations).
 */
final class ToyScorer implements Scorer {
    static final int PERMUTATIONS = 200;

    @Override
    public List<String> columns() {
        return List.of("mean_log_density", "data_log_density", "within_2sd", "mmd2", "p_value");
    }

    @Override
    public double[] score(Run run, NDArray samples, long seed, DoubleConsumer progress) {
        Toy2D toy = Toy2D.named(run.preset().data().substring("toy:".length()));
        double[][] generated = Matrices.rows(samples);
        double[][] fresh;
        // cpu: the toy metrics are computed in Java on rows; the fresh points are drawn in Java too (Rng).
        try (NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            fresh = Matrices.rows(toy.sample(manager, generated.length, new Rng(~seed))); // not the samples' stream, new Rng(seed)
        }
        ToyMetrics.Row row = ToyMetrics.score("samples", toy, generated, fresh, ToyMetrics.BANDWIDTH,
                PERMUTATIONS, seed);
        progress.accept(1);
        return new double[] {row.meanLogDensity(), ToyMetrics.meanLogDensity(toy, fresh),
            toy.isGaussianMixture() ? row.withinTwoSd() : Double.NaN, row.mmdSquared(), row.pValue()};
    }

    @Override
    public String features(Run run) {
        return run.preset().data() + " density";
    }

    @Override
    public void close() {}
}
