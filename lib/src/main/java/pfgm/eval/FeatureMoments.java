package pfgm.eval;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The float64 moments a Gaussian fit of features is made of, in a form that merges: the count, the
 * mean and the scatter (the sum of outer products of the centred rows). Parts of a sample set
 * (shards drawn on different machines) merge exactly, without their features, by Chan, Golub and
 * LeVeque's pairwise update. They carry what EDM's Inception statistics carry (the sum is n mean,
 * the sum of outer products scatter + n mean mean^T), but EDM's raw sums lose digits when they are
 * subtracted at the end: sum x x^T - n mu mu^T cancels when the features' spread is small against
 * their mean, as for an undertrained model's near-identical samples (FeatureMomentsTest has a case
 * where the raw sums lose the covariance entirely and this merge keeps it to 1e-9).
 *
 * @param scatter the d x d sum of (x - mean)(x - mean)^T, row-major
 */
public record FeatureMoments(long count, double[] mean, double[] scatter) {

    public FeatureMoments {
        if (scatter.length != mean.length * mean.length) {
            throw new IllegalArgumentException("a scatter of " + scatter.length + " values does not fit a mean of "
                    + mean.length + " features");
        }
    }

    /** The moments of the rows: the mean and the two-pass scatter that {@link GaussianStats#of} also computes. */
    public static FeatureMoments of(double[][] features) {
        int n = features.length;
        if (n == 0) {
            throw new IllegalArgumentException("no feature rows");
        }
        int d = features[0].length;
        double[] mean = new double[d];
        for (double[] row : features) {
            for (int k = 0; k < d; k++) {
                mean[k] += row[k] / n;
            }
        }
        DMatrixRMaj centred = new DMatrixRMaj(n, d);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                centred.set(i, k, features[i][k] - mean[k]);
            }
        }
        DMatrixRMaj scatter = new DMatrixRMaj(d, d);
        CommonOps_DDRM.multInner(centred, scatter);
        return new FeatureMoments(n, mean, scatter.getData());
    }

    public int dim() {
        return mean.length;
    }

    /**
     * The moments of both sets together: mean = a + (b - a) n_b / n, scatter = S_a + S_b + (b - a)(b - a)^T
     * n_a n_b / n (Chan, Golub and LeVeque 1979), with no difference of large sums.
     */
    public FeatureMoments plus(FeatureMoments other) {
        if (other.dim() != dim()) {
            throw new IllegalArgumentException("feature moments of different dimensions: " + dim() + " and " + other.dim());
        }
        int d = dim();
        long n = count + other.count;
        double[] delta = new double[d];
        double[] m = new double[d];
        for (int k = 0; k < d; k++) {
            delta[k] = other.mean[k] - mean[k];
            m[k] = mean[k] + delta[k] * ((double) other.count / n);
        }
        double weight = (double) count * other.count / n;
        double[] s = new double[d * d];
        for (int r = 0; r < d; r++) {
            for (int c = 0; c < d; c++) {
                s[r * d + c] = scatter[r * d + c] + other.scatter[r * d + c] + delta[r] * delta[c] * weight;
            }
        }
        return new FeatureMoments(n, m, s);
    }

    /** Mean and unbiased covariance (divisor n - 1, as numpy.cov): the fit FID compares. */
    public GaussianStats stats() {
        if (count < 2) {
            throw new IllegalArgumentException("need at least 2 feature rows for a covariance, got " + count);
        }
        DMatrixRMaj sigma = new DMatrixRMaj(dim(), dim(), true, scatter.clone());
        CommonOps_DDRM.scale(1.0 / (count - 1), sigma);
        return new GaussianStats(mean.clone(), sigma);
    }
}
