package pfgm.eval;

import pfgm.data.Toy2D;

/**
 * The unbiased estimate of the squared maximum mean discrepancy between two equally sized sets,
 * for any kernel; KID is this with the polynomial kernel, the toy metrics with a Gaussian one.
 */
public final class Mmd {
    private Mmd() {}

    /** A positive-definite kernel on feature vectors. */
    @FunctionalInterface
    public interface Kernel {
        double of(double[] a, double[] b);
    }

    /** exp(-||a - b||^2 / (2 bandwidth^2)). */
    public static Kernel gaussian(double bandwidth) {
        return (a, b) -> {
            double s = 0;
            for (int k = 0; k < a.length; k++) {
                s += (a[k] - b[k]) * (a[k] - b[k]);
            }
            return Math.exp(-s / (2 * bandwidth * bandwidth));
        };
    }

    /** [sum_{i != j} k(x_i, x_j) + k(y_i, y_j)] / (m (m - 1)) - 2 sum_{i,j} k(x_i, y_j) / m^2. */
    public static double unbiasedSquared(double[][] x, double[][] y, Kernel kernel) {
        int m = x.length;
        if (m < 2 || y.length != m) {
            throw new IllegalArgumentException("need two sets of equal size >= 2, got " + m + " and " + y.length);
        }
        double xx = 0;
        double yy = 0;
        double xy = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                if (i != j) {
                    xx += kernel.of(x[i], x[j]);
                    yy += kernel.of(y[i], y[j]);
                }
                xy += kernel.of(x[i], y[j]);
            }
        }
        return (xx + yy) / ((double) m * (m - 1)) - 2 * xy / ((double) m * m);
    }

    /** Mean negative log-likelihood of 2-D samples under a toy set's known density (nats). */
    public static double negativeLogLikelihood(Toy2D toy, double[][] samples) {
        double total = 0;
        for (double[] p : samples) {
            total -= toy.logDensity(p[0], p[1]);
        }
        return total / samples.length;
    }
}
