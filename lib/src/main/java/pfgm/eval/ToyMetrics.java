package pfgm.eval;

import java.util.Arrays;
import java.util.List;
import pfgm.data.Toy2D;
import pfgm.util.Rng;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Sample quality on a 2-D toy set whose density is known, in three numbers that see samples
 * missing the modes (a distance such as the sliced Wasserstein one can rank a thin ring through
 * eight clusters above samples in them):
 * <ul>
 *   <li>the mean log-density of the samples under the set's exact density, to put beside the same
 *       number for fresh data (minus the set's entropy);
 *   <li>the share of samples within 2 standard deviations of a mixture centre (86.5% for data
 *       of well separated isotropic Gaussians);
 *   <li>a two-sample test: the unbiased squared MMD with a Gaussian kernel against fresh data,
 *       with a permutation p-value.
 * </ul>
 */
public final class ToyMetrics {
    /**
     * The Gaussian kernel's bandwidth for the 2-D toy sets: 0.5, about 1.4 standard deviations of
     * the eight Gaussians, so the kernel resolves single clusters. The median heuristic would set
     * about 4.0 on that set (the scale of the whole ring), where the test no longer tells a thin
     * ring through the clusters from the clusters (p = 0.5 at n = 2,000; ToyMetricsTest).
     */
    public static final double BANDWIDTH = 0.5;

    private ToyMetrics() {}

    /** One set of samples scored against the reference data. */
    public record Row(String name, int n, double meanLogDensity, double withinTwoSd, double mmdSquared, double pValue) {}

    /** The two-sample statistic, its permutation p-value, and the settings that produced them. */
    public record TwoSampleTest(double mmdSquared, double pValue, double bandwidth, int permutations) {}

    /** Mean of log p(x) over the samples under the toy set's exact density (nats); -infinity if one is outside its support. */
    public static double meanLogDensity(Toy2D toy, double[][] samples) {
        requirePoints(samples);
        double total = 0;
        for (double[] p : samples) {
            total += toy.logDensity(p[0], p[1]);
        }
        return total / samples.length;
    }

    /** The share of samples within {@code sds} standard deviations of a centre of the toy set's Gaussian mixture. */
    public static double shareNearCentre(Toy2D toy, double[][] samples, double sds) {
        requirePoints(samples);
        int near = 0;
        for (double[] p : samples) {
            if (toy.standardizedDistanceToCentre(p[0], p[1]) <= sds) {
                near++;
            }
        }
        return (double) near / samples.length;
    }

    /**
     * The median of the Euclidean distances between distinct rows: the usual bandwidth of a
     * Gaussian kernel (the "median heuristic"). Exact, by sorting all n (n - 1) / 2 distances.
     */
    public static double medianDistance(double[][] points) {
        int n = points.length;
        if (n < 2) {
            throw new IllegalArgumentException("need at least 2 points, got " + n);
        }
        double[] distances = new double[n * (n - 1) / 2];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                distances[k++] = Math.sqrt(squaredDistance(points[i], points[j]));
            }
        }
        Arrays.sort(distances);
        int mid = distances.length / 2;
        return distances.length % 2 == 1 ? distances[mid] : (distances[mid - 1] + distances[mid]) / 2;
    }

    /**
     * MMD two-sample test: the unbiased squared MMD of {@link Mmd} with the Gaussian kernel
     * exp(-||a - b||^2 / (2 bandwidth^2)), and the share of random relabellings of the pooled sample
     * (Fisher-Yates from {@code new Rng(seed)}) whose statistic is at least as large:
     * p = (1 + #{perm >= observed}) / (1 + permutations). Sets may differ in size.
     *
     * <p>The pooled kernel matrix is kept as a float upper triangle ((m + n)^2 / 2 floats: 32 MB at
     * m = n = 2,000); each permutation is one pass over it (a few milliseconds at that size).
     */
    public static TwoSampleTest mmdTest(double[][] x, double[][] y, double bandwidth, int permutations, long seed) {
        int m = x.length;
        int n = y.length;
        if (m < 2 || n < 2) {
            throw new IllegalArgumentException("need at least 2 points in each set, got " + m + " and " + n);
        }
        if (!(bandwidth > 0) || permutations < 1) {
            throw new IllegalArgumentException("need bandwidth > 0 and permutations >= 1, got " + bandwidth + ", " + permutations);
        }
        int total = m + n;
        double[][] pooled = new double[total][];
        System.arraycopy(x, 0, pooled, 0, m);
        System.arraycopy(y, 0, pooled, m, n);
        float[] kernel = new float[(int) ((long) total * (total - 1) / 2)];
        double[] rowSums = new double[total];
        double scale = -1 / (2 * bandwidth * bandwidth);
        int k = 0;
        for (int i = 0; i < total; i++) {
            for (int j = i + 1; j < total; j++) {
                float v = (float) Math.exp(scale * squaredDistance(pooled[i], pooled[j]));
                kernel[k++] = v;
                rowSums[i] += v;
                rowSums[j] += v;
            }
        }
        double sumAll = 0; // sum over i != j of k_ij
        for (double r : rowSums) {
            sumAll += r;
        }
        double[] sign = new double[total];
        Arrays.fill(sign, 0, m, 1);
        Arrays.fill(sign, m, total, -1);
        double observed = statistic(kernel, rowSums, sumAll, sign, m, n);
        Rng rng = new Rng(seed);
        int atLeast = 0;
        for (int p = 0; p < permutations; p++) {
            for (int i = total - 1; i > 0; i--) {
                int j = (int) (rng.nextDouble() * (i + 1));
                double t = sign[i];
                sign[i] = sign[j];
                sign[j] = t;
            }
            if (statistic(kernel, rowSums, sumAll, sign, m, n) >= observed) {
                atLeast++;
            }
        }
        return new TwoSampleTest(observed, (1.0 + atLeast) / (1.0 + permutations), bandwidth, permutations);
    }

    /**
     * Unbiased MMD^2 of the split that {@code sign} (+1: first set, -1: second) makes. With
     * Q = sum_{i != j} s_i s_j k_ij and S = sum_{i != j} s_i k_ij: XX = (T + 2S + Q) / 4,
     * YY = (T - 2S + Q) / 4, XY = (T - Q) / 4, T the sum of all off-diagonal entries.
     */
    private static double statistic(float[] kernel, double[] rowSums, double sumAll, double[] sign, int m, int n) {
        int total = sign.length;
        double quadratic = 0;
        double linear = 0;
        int k = 0;
        for (int i = 0; i < total; i++) {
            double a = 0;
            double b = 0;
            int j = i + 1;
            for (; j + 1 < total; j += 2) {
                a += kernel[k++] * sign[j];
                b += kernel[k++] * sign[j + 1];
            }
            if (j < total) {
                a += kernel[k++] * sign[j];
            }
            quadratic += 2 * sign[i] * (a + b);
            linear += sign[i] * rowSums[i];
        }
        double xx = (sumAll + 2 * linear + quadratic) / 4;
        double yy = (sumAll - 2 * linear + quadratic) / 4;
        double xy = (sumAll - quadratic) / 4;
        return xx / ((double) m * (m - 1)) + yy / ((double) n * (n - 1)) - 2 * xy / ((double) m * n);
    }

    /** All three metrics of {@code samples} against {@code reference} (fresh data of the same set). */
    public static Row score(String name, Toy2D toy, double[][] samples, double[][] reference, double bandwidth,
            int permutations, long seed) {
        TwoSampleTest test = mmdTest(samples, reference, bandwidth, permutations, seed);
        return new Row(name, samples.length, meanLogDensity(toy, samples), shareNearCentre(toy, samples, 2),
                test.mmdSquared(), test.pValue());
    }

    /** How far a set of samples may stray from fresh data's numbers before it fails, in either direction. */
    public static final double LOG_DENSITY_TOLERANCE = 0.15;
    public static final double NEAR_CENTRE_TOLERANCE = 0.05;
    public static final double MMD_LEVEL = 0.05;

    /**
     * Samples judged against fresh data's row, both ways: their mean log-density within
     * {@value #LOG_DENSITY_TOLERANCE} nats of the data's (above means squeezed into the modes, below
     * means spread off them), their share within 2 sd of a centre within {@value #NEAR_CENTRE_TOLERANCE}
     * of the data's, and the MMD test not rejecting at {@value #MMD_LEVEL}.
     *
     * @return null when the samples pass, else what failed
     */
    public static String judge(Row samples, Row data) {
        List<String> failed = new java.util.ArrayList<>();
        double density = samples.meanLogDensity() - data.meanLogDensity();
        if (!(Math.abs(density) <= LOG_DENSITY_TOLERANCE)) {
            failed.add(String.format("mean log-density %+.3f nats from the data's (%s)", density,
                    density > 0 ? "too concentrated" : "off the modes"));
        }
        double near = samples.withinTwoSd() - data.withinTwoSd();
        if (!Double.isNaN(near) && !(Math.abs(near) <= NEAR_CENTRE_TOLERANCE)) {
            failed.add(String.format("share within 2 sd %+.3f from the data's (%s)", near, near > 0 ? "too concentrated"
                    : "off the modes"));
        }
        if (!(samples.pValue() > MMD_LEVEL)) {
            failed.add(String.format("MMD test rejects (p = %.3f)", samples.pValue()));
        }
        return failed.isEmpty() ? null : String.join("; ", failed);
    }

    /** The rows as a Tablesaw table: samples, n, mean log-density, within 2 sd, MMD^2, p-value. */
    public static Table table(String title, List<Row> rows) {
        return Table.create(title,
                StringColumn.create("samples", rows.stream().map(Row::name).toArray(String[]::new)),
                IntColumn.create("n", rows.stream().mapToInt(Row::n).toArray()),
                DoubleColumn.create("mean log-density", rows.stream().mapToDouble(Row::meanLogDensity).toArray()),
                DoubleColumn.create("within 2 sd", rows.stream().mapToDouble(Row::withinTwoSd).toArray()),
                DoubleColumn.create("MMD^2", rows.stream().mapToDouble(Row::mmdSquared).toArray()),
                DoubleColumn.create("p-value", rows.stream().mapToDouble(Row::pValue).toArray()));
    }

    private static double squaredDistance(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += (a[k] - b[k]) * (a[k] - b[k]);
        }
        return s;
    }

    private static void requirePoints(double[][] samples) {
        if (samples.length == 0 || samples[0].length != 2) {
            throw new IllegalArgumentException("need a non-empty set of 2-D points");
        }
    }
}
