package pfgm.experiment;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleConsumer;
import java.util.stream.Collectors;
import pfgm.data.Toy2D;
import pfgm.eval.ToyMetrics;
import pfgm.run.Run;
import pfgm.util.Matrices;
import pfgm.util.Rng;
import tech.tablesaw.api.Table;

/**
 * The toy metrics of 2-D samples against as many fresh points of the set: the mean log-density
 * under the set's exact density beside the fresh points' own, the share within 2 standard
 * deviations of a mode, and the MMD two-sample test (ToyMetrics.BANDWIDTH, 200 permutations).
 */
final class ToyScorer implements Scorer {
    static final int PERMUTATIONS = 200;

    @Override
    public List<String> columns() {
        return List.of("mean_log_density", "data_log_density", "within_2sd", "data_within_2sd", "mmd2", "p_value");
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
        boolean modes = toy.isGaussianMixture();
        return new double[] {row.meanLogDensity(), ToyMetrics.meanLogDensity(toy, fresh),
            modes ? row.withinTwoSd() : Double.NaN, modes ? ToyMetrics.shareNearCentre(toy, fresh, 2) : Double.NaN,
            row.mmdSquared(), row.pValue()};
    }

    /**
     * The rows whose samples miss the two-sided bar of {@link ToyMetrics#judge} against their own
     * fresh data, each named by its cell ({@code keys}) with what missed: a seed that lands far out.
     */
    static List<String> misses(Table rows, List<String> keys) {
        List<String> misses = new ArrayList<>();
        for (int i = 0; i < rows.rowCount(); i++) {
            ToyMetrics.Row samples = new ToyMetrics.Row("samples", 0, rows.doubleColumn("mean_log_density").get(i),
                    rows.doubleColumn("within_2sd").get(i), rows.doubleColumn("mmd2").get(i), rows.doubleColumn("p_value").get(i));
            ToyMetrics.Row data = new ToyMetrics.Row("data", 0, rows.doubleColumn("data_log_density").get(i),
                    rows.doubleColumn("data_within_2sd").get(i), Double.NaN, Double.NaN);
            String failed = ToyMetrics.judge(samples, data);
            if (failed != null) {
                int row = i;
                misses.add(keys.stream().map(k -> k + "=" + rows.stringColumn(k).get(row)).collect(Collectors.joining(", "))
                        + ": " + failed);
            }
        }
        return misses;
    }

    @Override
    public String features(Run run) {
        return run.preset().data() + " density";
    }

    @Override
    public void close() {}
}
