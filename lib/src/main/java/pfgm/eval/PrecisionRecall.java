package pfgm.eval;

/**
 * Improved precision and recall (Kynkaanniemi et al. 2019): each set's manifold is the union of
 * balls around its points with radius the distance to the k-th nearest neighbour. Precision is the
 * fraction of generated samples inside the real manifold, recall the fraction of real samples
 * inside the generated one.
 */
public final class PrecisionRecall {
    private PrecisionRecall() {}

    public record Result(double precision, double recall) {}

    public static Result of(double[][] real, double[][] generated, int k) {
        if (k < 1 || k >= Math.min(real.length, generated.length)) {
            throw new IllegalArgumentException("k must be in [1, set size), got " + k);
        }
        return new Result(coverage(real, kthNeighbourRadii(real, k), generated),
                coverage(generated, kthNeighbourRadii(generated, k), real));
    }

    /** Fraction of {@code queries} within radius[i] of some manifold point i. */
    private static double coverage(double[][] manifold, double[] radii, double[][] queries) {
        int inside = 0;
        for (double[] q : queries) {
            for (int i = 0; i < manifold.length; i++) {
                if (squaredDistance(q, manifold[i]) <= radii[i] * radii[i]) {
                    inside++;
                    break;
                }
            }
        }
        return (double) inside / queries.length;
    }

    /** Distance from each point to its k-th nearest other point. */
    private static double[] kthNeighbourRadii(double[][] points, int k) {
        double[] radii = new double[points.length];
        double[] distances = new double[points.length];
        for (int i = 0; i < points.length; i++) {
            for (int j = 0; j < points.length; j++) {
                distances[j] = squaredDistance(points[i], points[j]);
            }
            double[] sorted = distances.clone();
            java.util.Arrays.sort(sorted); // sorted[0] is the point itself
            radii[i] = Math.sqrt(sorted[k]);
        }
        return radii;
    }

    private static double squaredDistance(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            double d = a[k] - b[k];
            s += d * d;
        }
        return s;
    }
}
