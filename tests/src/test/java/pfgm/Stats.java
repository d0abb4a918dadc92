package pfgm;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;

/** Statistical checks shared by the tests. */
public final class Stats {
    private Stats() {}

    /** p-value of the one-sample Kolmogorov-Smirnov test of {@code samples} against {@code cdf}. */
    public static double ksPValue(double[] samples, DoubleUnaryOperator cdf) {
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double d = 0;
        for (int i = 0; i < n; i++) {
            double f = cdf.applyAsDouble(sorted[i]);
            d = Math.max(d, Math.max(f - (double) i / n, (double) (i + 1) / n - f));
        }
        return 1 - new KolmogorovSmirnovTest().cdf(d, n);
    }

    /** A cumulative distribution tabulated from a density on a grid by the trapezoid rule, interpolated linearly. */
    public static DoubleUnaryOperator cdfFromDensity(double[] grid, DoubleUnaryOperator logDensity) {
        double[] log = Arrays.stream(grid).map(logDensity).toArray();
        double max = Arrays.stream(log).max().orElseThrow();
        double[] cumulative = new double[grid.length];
        for (int i = 1; i < grid.length; i++) {
            double step = (Math.exp(log[i] - max) + Math.exp(log[i - 1] - max)) / 2 * (grid[i] - grid[i - 1]);
            cumulative[i] = cumulative[i - 1] + step;
        }
        double total = cumulative[grid.length - 1];
        return x -> {
            int i = Arrays.binarySearch(grid, x);
            if (i >= 0) {
                return cumulative[i] / total;
            }
            int hi = -i - 1;
            if (hi == 0) {
                return 0;
            }
            if (hi == grid.length) {
                return 1;
            }
            double w = (x - grid[hi - 1]) / (grid[hi] - grid[hi - 1]);
            return (cumulative[hi - 1] + w * (cumulative[hi] - cumulative[hi - 1])) / total;
        };
    }

    /** n points from a to b, evenly spaced. */
    public static double[] linspace(double a, double b, int n) {
        double[] grid = new double[n];
        for (int i = 0; i < n; i++) {
            grid[i] = a + (b - a) * i / (n - 1);
        }
        return grid;
    }
}
