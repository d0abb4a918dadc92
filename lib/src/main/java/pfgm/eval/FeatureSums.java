package pfgm.eval;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The float64 sums a Gaussian fit of features is made of: the count, the sum of the rows and the
 * sum of their outer products. Unlike a mean and covariance they add up, so parts of a sample set
 * (shards drawn on different machines) merge exactly, without their features; EDM's evaluation
 * merges its Inception statistics the same way.
 *
 * @param outer the d x d sum of x x^T, row-major
 */
public record FeatureSums(long count, double[] sum, double[] outer) {

    public FeatureSums {
        if (outer.length != sum.length * sum.length) {
            throw new IllegalArgumentException("outer-product sum of " + outer.length + " values does not fit a sum of "
                    + sum.length + " features");
        }
    }

    /** The sums of the rows. */
    public static FeatureSums of(double[][] features) {
        if (features.length == 0) {
            throw new IllegalArgumentException("no feature rows to sum");
        }
        int d = features[0].length;
        double[] sum = new double[d];
        for (double[] row : features) {
            for (int k = 0; k < d; k++) {
                sum[k] += row[k];
            }
        }
        DMatrixRMaj outer = new DMatrixRMaj(d, d);
        CommonOps_DDRM.multInner(new DMatrixRMaj(features), outer); // X^T X: one matrix product, not n rank-one updates
        return new FeatureSums(features.length, sum, outer.getData());
    }

    public int dim() {
        return sum.length;
    }

    /** The sums of both sets together. */
    public FeatureSums plus(FeatureSums other) {
        if (other.dim() != dim()) {
            throw new IllegalArgumentException("feature sums of different dimensions: " + dim() + " and " + other.dim());
        }
        double[] s = sum.clone();
        double[] o = outer.clone();
        for (int k = 0; k < s.length; k++) {
            s[k] += other.sum[k];
        }
        for (int k = 0; k < o.length; k++) {
            o[k] += other.outer[k];
        }
        return new FeatureSums(count + other.count, s, o);
    }

    /**
     * Mean and unbiased covariance, (sum x x^T - n mu mu^T) / (n - 1): what {@link
     * GaussianStats#of} computes from the rows, up to rounding.
     */
    public GaussianStats stats() {
        if (count < 2) {
            throw new IllegalArgumentException("need at least 2 feature rows for a covariance, got " + count);
        }
        int d = dim();
        double[] mu = new double[d];
        for (int k = 0; k < d; k++) {
            mu[k] = sum[k] / count;
        }
        DMatrixRMaj sigma = new DMatrixRMaj(d, d);
        for (int r = 0; r < d; r++) {
            for (int c = 0; c < d; c++) {
                sigma.set(r, c, (outer[r * d + c] - count * mu[r] * mu[c]) / (count - 1));
            }
        }
        return new GaussianStats(mu, sigma);
    }
}
