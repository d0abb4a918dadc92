package pfgm.eval;

import java.util.Arrays;
import pfgm.util.Rng;

/**
 * Sliced Wasserstein-2 distance between two equally sized point sets: the root mean, over random
 * unit directions, of the squared 1-D Wasserstein-2 distance between the projections (sorted
 * projections matched in order).
 */
public final class SlicedWasserstein {
    private SlicedWasserstein() {}

    /**
     * @param a rows of points
     * @param b rows of points, as many as {@code a}, same dimension
     * @param directions number of random projections
     */
    public static double distance(double[][] a, double[][] b, int directions, Rng rng) {
        if (a.length != b.length || a.length == 0 || a[0].length != b[0].length) {
            throw new IllegalArgumentException("need two non-empty sets of equal size and dimension, got "
                    + a.length + " and " + b.length + " points");
        }
        int dim = a[0].length;
        double total = 0;
        for (int d = 0; d < directions; d++) {
            double[] theta = new double[dim];
            double norm = 0;
            for (int k = 0; k < dim; k++) {
                theta[k] = rng.nextGaussian();
                norm += theta[k] * theta[k];
            }
            norm = Math.sqrt(norm);
            double[] pa = project(a, theta, norm);
            double[] pb = project(b, theta, norm);
            double squared = 0;
            for (int i = 0; i < pa.length; i++) {
                squared += (pa[i] - pb[i]) * (pa[i] - pb[i]);
            }
            total += squared / pa.length;
        }
        return Math.sqrt(total / directions);
    }

    private static double[] project(double[][] points, double[] theta, double norm) {
        double[] out = new double[points.length];
        for (int i = 0; i < points.length; i++) {
            double s = 0;
            for (int k = 0; k < theta.length; k++) {
                s += points[i][k] * theta[k];
            }
            out[i] = s / norm;
        }
        Arrays.sort(out);
        return out;
    }
}
