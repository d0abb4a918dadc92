package pfgm.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.distribution.TDistribution;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Metrics summarized over the rows that differ only in what is not grouped by (training and
 * sampling seeds): per group the mean, the sample standard deviation, the count and the half-width of
 * the 95% interval of the mean (Student's t with n - 1 degrees of freedom; NaN for a single row).
 * The columns are METRIC_mean, METRIC_sd, METRIC_ci95, and one {@code n} per group.
 */
public final class Spread {
    private Spread() {}

    /** Groups {@code rows} by the values of {@code by} (in order of first appearance) and summarizes {@code metrics}. */
    public static Table of(Table rows, List<String> by, List<String> metrics) {
        Map<List<String>, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < rows.rowCount(); i++) {
            List<String> key = new ArrayList<>();
            for (String column : by) {
                key.add(rows.column(column).getString(i));
            }
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
        }
        Table out = Table.create(rows.name());
        by.forEach(c -> out.addColumns(StringColumn.create(c)));
        out.addColumns(IntColumn.create("n"));
        for (String m : metrics) {
            out.addColumns(DoubleColumn.create(m + "_mean"), DoubleColumn.create(m + "_sd"), DoubleColumn.create(m + "_ci95"));
        }
        groups.forEach((key, members) -> {
            for (int k = 0; k < by.size(); k++) {
                out.stringColumn(by.get(k)).append(key.get(k));
            }
            out.intColumn("n").append(members.size());
            for (String m : metrics) {
                double[] values = members.stream().mapToDouble(i -> rows.numberColumn(m).getDouble(i)).toArray();
                Summary s = summary(values);
                out.doubleColumn(m + "_mean").append(s.mean());
                out.doubleColumn(m + "_sd").append(s.sd());
                out.doubleColumn(m + "_ci95").append(s.ci95());
            }
        });
        return out;
    }

    /**
     * The values of {@code metric} in the rows whose columns have the given values, in row order (for
     * a grid, the order of its seed axes' values).
     */
    public static double[] values(Table rows, String metric, Map<String, String> where) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < rows.rowCount(); i++) {
            final int row = i;
            if (where.entrySet().stream().allMatch(w -> rows.column(w.getKey()).getString(row).equals(w.getValue()))) {
                out.add(rows.numberColumn(metric).getDouble(i));
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** What error bars over {@code seeds} training seeds show, for a chart's title: a single seed has none. */
    public static String intervals(int seeds) {
        return seeds < 2 ? "one training seed, no intervals" : seeds + " training seeds, 95% intervals";
    }

    /** The smallest number of seeds per side for which {@link Comparison#verdict} gives one. */
    public static final int SEEDS_FOR_A_VERDICT = 3;

    /**
     * Two sets of values (a metric of two methods over training seeds) compared by the rule the kit
     * judges claims with: the difference of their means counts when it exceeds twice its standard
     * error sqrt(sd_a^2 / n_a + sd_b^2 / n_b), and only with at least {@value #SEEDS_FOR_A_VERDICT}
     * values on each side.
     */
    public record Comparison(double difference, double standardError, int nA, int nB) {
        public boolean enoughSeeds() {
            return nA >= SEEDS_FOR_A_VERDICT && nB >= SEEDS_FOR_A_VERDICT;
        }

        /** "a lower", "b lower", "no difference shown" or "too few seeds", with a and b named. */
        public String verdict(String a, String b) {
            if (!enoughSeeds()) {
                return "too few seeds for a verdict (" + nA + " and " + nB + "; " + SEEDS_FOR_A_VERDICT + " each needed)";
            }
            if (Math.abs(difference) <= 2 * standardError) {
                return "no difference shown (|difference| <= 2 standard errors)";
            }
            return (difference < 0 ? a : b) + " lower";
        }
    }

    public static Comparison compare(double[] a, double[] b) {
        Summary sa = summary(a);
        Summary sb = summary(b);
        double se = Math.sqrt(sa.sd() * sa.sd() / a.length + sb.sd() * sb.sd() / b.length);
        return new Comparison(sa.mean() - sb.mean(), se, a.length, b.length);
    }

    /**
     * @param mean the mean
     * @param sd the sample standard deviation (n - 1 in the denominator)
     * @param ci95 half-width of the 95% interval of the mean, t_{0.975, n-1} sd / sqrt(n)
     */
    public record Summary(double mean, double sd, double ci95) {}

    public static Summary summary(double[] values) {
        int n = values.length;
        double mean = java.util.Arrays.stream(values).average().orElse(Double.NaN);
        if (n < 2) {
            return new Summary(mean, Double.NaN, Double.NaN);
        }
        double sd = Math.sqrt(java.util.Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum() / (n - 1));
        double t = new TDistribution(n - 1).inverseCumulativeProbability(0.975);
        return new Summary(mean, sd, t * sd / Math.sqrt(n));
    }
}
