package pfgm.eval;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import pfgm.util.Rng;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;

/**
 * The standard metrics of generated images against a reference under one feature network: FID,
 * Inception score (10 splits), KID (100 subsets of up to 1,000) and precision/recall (k = 3), the
 * settings of the papers that introduced them.
 */
public final class Evaluation {
    private Evaluation() {}

    public enum Metric {
        FID, IS, KID, PR;

        /** "fid,is,kid,pr" (any order, any case) as a set. */
        public static Set<Metric> parse(String list) {
            Set<Metric> out = EnumSet.noneOf(Metric.class);
            for (String name : list.split(",")) {
                try {
                    out.add(valueOf(name.strip().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("unknown metric '" + name.strip() + "': use fid, is, kid, pr");
                }
            }
            return out;
        }
    }

    /**
     * What the samples are compared with: the reference set's features, or only its Gaussian fit
     * (statistics brought from elsewhere), which serves FID alone. Holds the reference's
     * precision/recall manifold once made, so score many sample sets against one Reference.
     */
    public static final class Reference {
        private final GaussianStats stats;
        private final FeatureSet features;
        private PrecisionRecall.Manifold manifold;

        private Reference(GaussianStats stats, FeatureSet features) {
            this.stats = stats;
            this.features = features;
        }

        public static Reference of(FeatureSet features) {
            return new Reference(features.stats(), features);
        }

        public static Reference of(GaussianStats stats) {
            return new Reference(stats, null);
        }

        public GaussianStats stats() {
            return stats;
        }

        /** Null when only statistics were given. */
        public FeatureSet features() {
            return features;
        }

        synchronized PrecisionRecall.Manifold manifold(int k) {
            if (manifold == null || manifold.k() != k) {
                manifold = PrecisionRecall.Manifold.of(features.features(), k);
            }
            return manifold;
        }
    }

    /** One evaluation's numbers; NaN for metrics not asked for. */
    public record Scores(int n, double fid, double inceptionScore, double inceptionScoreStd, double kid, double kidStd,
            double precision, double recall) {

        static final String[] COLUMNS = {"fid", "is", "is_std", "kid", "kid_std", "precision", "recall"};

        double[] values() {
            return new double[] {fid, inceptionScore, inceptionScoreStd, kid, kidStd, precision, recall};
        }

        /** The scores as a one-row table (columns fid, is, is_std, kid, kid_std, precision, recall). */
        public Table table(String name) {
            Table table = Table.create(name);
            double[] values = values();
            for (int i = 0; i < COLUMNS.length; i++) {
                table.addColumns(DoubleColumn.create(COLUMNS[i], values[i]));
            }
            return table;
        }

        /** The scores by column name (fid, is, is_std, kid, kid_std, precision, recall); NaN for metrics not asked for. */
        public Map<String, Object> columns() {
            Map<String, Object> out = new java.util.LinkedHashMap<>();
            double[] values = values();
            for (int i = 0; i < COLUMNS.length; i++) {
                out.put(COLUMNS[i], values[i]);
            }
            return out;
        }
    }

    public static Scores of(Set<Metric> metrics, FeatureSet generated, Reference reference, Rng rng) {
        return of(metrics, generated.size(), generated::stats, generated, reference, rng);
    }

    /**
     * The scores of samples held as the float64 moments of their features (the merge of shards):
     * FID from the moments' Gaussian fit, the other metrics from {@code generated}, which may be null when
     * FID alone is asked for.
     */
    public static Scores of(Set<Metric> metrics, FeatureMoments generatedMoments, FeatureSet generated, Reference reference, Rng rng) {
        if (generated == null && !metrics.equals(EnumSet.of(Metric.FID))) {
            throw new IllegalArgumentException("metrics other than FID need the samples' features, not only their moments");
        }
        return of(metrics, Math.toIntExact(generatedMoments.count()), generatedMoments::stats, generated, reference, rng);
    }

    private static Scores of(Set<Metric> metrics, int n, java.util.function.Supplier<GaussianStats> generatedStats,
            FeatureSet generated, Reference reference, Rng rng) {
        if (reference.features() == null && (metrics.contains(Metric.KID) || metrics.contains(Metric.PR))) {
            throw new IllegalArgumentException("KID and precision/recall need the reference set's features, not only"
                    + " its statistics: give a data set as the reference, or ask only for fid,is");
        }
        double fid = metrics.contains(Metric.FID) ? Fid.distance(generatedStats.get(), reference.stats()) : Double.NaN;
        InceptionScore.Result is = metrics.contains(Metric.IS) ? InceptionScore.of(generated.probabilities())
                : new InceptionScore.Result(Double.NaN, Double.NaN);
        Kid.Result kid = metrics.contains(Metric.KID)
                ? Kid.of(reference.features().features(), generated.features(), 100, 1000, rng)
                : new Kid.Result(Double.NaN, Double.NaN);
        PrecisionRecall.Result pr = metrics.contains(Metric.PR)
                ? PrecisionRecall.of(reference.manifold(3), generated.features())
                : new PrecisionRecall.Result(Double.NaN, Double.NaN);
        return new Scores(n, fid, is.mean(), is.std(), kid.mean(), kid.std(), pr.precision(), pr.recall());
    }
}
