package pfgm.method.pfgm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.special.Gamma;
import pfgm.util.Scalars;
import pfgm.util.Scopes;

/**
 * The Poisson field of point charges on the z = 0 hyperplane of R^(N+1), and the normalized field
 * that PFGM learns (docs/design.md, the math).
 *
 * <p>Query points are rows (x, z) of an (S, N+1) array; charges are rows y of a (B, N) array. The
 * weights w_j ~ ||q - y_j||^-(N+1) are a softmax over -(N+1)/2 log d_j^2, where the squared
 * distances come from one matrix product, ||x||^2 + ||y||^2 - 2 x.y + z^2. That expansion cancels
 * badly in float32 next to a charge, and the exponent (3073 on CIFAR-10) magnifies the error, so
 * distances and the weighted sum run in float64, on every device (docs/speed.md has the float32
 * errors measured and why float64 stays on a GPU). Rows are processed in chunks so that no array is
 * larger than {@link #CHUNK_ELEMENTS}: the S x B x (N+1) difference tensor is never built.
 */
public final class PoissonField {
    /** Largest chunk of the (rows x charges) distance matrix held at once. */
    static final long CHUNK_ELEMENTS = 1L << 21;

    private PoissonField() {}

    /**
     * The normalized training target v = sqrt(N) g / (||g|| + gamma), g = sum_j w_j ((y_j, 0) - q).
     *
     * @param points (S, N+1) augmented query points, last column z
     * @param charges (B, N) charges on the z = 0 plane
     * @param gamma the paper's gamma (5); must be non-negative
     * @return (S, N+1) in the points' data type. DJL's casts do not carry gradients, so to
     *     differentiate through this (the likelihood's divergence) pass float64 points.
     */
    public static NDArray normalized(NDArray points, NDArray charges, double gamma) {
        return normalized(points, charges, gamma, DataType.FLOAT64);
    }

    /**
     * {@link #normalized(NDArray, NDArray, double)} with distances and the weighted sum in {@code
     * precision}: FLOAT64 (what training uses) or FLOAT32 (to measure what float32 would cost and
     * lose: pfgm bench field).
     */
    public static NDArray normalized(NDArray points, NDArray charges, double gamma, DataType precision) {
        if (!(gamma >= 0)) {
            throw new IllegalArgumentException("gamma must be >= 0, got " + gamma);
        }
        if (precision != DataType.FLOAT64 && precision != DataType.FLOAT32) {
            throw new IllegalArgumentException("the field computes in float64 or float32, not " + precision);
        }
        int n = checkShapes(points, charges);
        return Scopes.keep(() -> {
            NDArray g = pull(points, charges, true, precision).direction;
            NDArray norm = g.norm(new int[] {1}, true);
            return Scalars.times(g, Math.sqrt(n)).div(norm.add(gamma)).toType(points.getDataType(), false);
        });
    }

    /**
     * The raw field E(q) = 1/(B S_N(1)) sum_j (q - (y_j, 0)) / ||q - (y_j, 0)||^(N+1) of the empirical
     * distribution of the charges, in float64. It under- or overflows double range in high dimension
     * (||E|| ~ r^-N); use {@link #normalized} there.
     */
    public static NDArray raw(NDArray points, NDArray charges) {
        int n = checkShapes(points, charges);
        double logScale = -Math.log(charges.getShape().get(0)) - logUnitSphereArea(n);
        return Scopes.keep(() -> {
            Pull pull = pull(points, charges, true, DataType.FLOAT64);
            // E = -g * sum_j ||q - y_j||^-(N+1) / (B S_N): the softmax normalizer comes back here.
            return pull.direction.mul(pull.logNormalizer.add(logScale).exp().neg());
        });
    }

    /**
     * The unit direction -E / ||E|| of the Poisson field in the data space itself, without the
     * extra dimension: points (S, N) and charges (B, N), with the N-dimensional kernel
     * ||q - y||^-N. Following it makes samples collapse onto a few charges (the paper's Figure 2),
     * which is why PFGM augments the space. Float64.
     */
    public static NDArray directionWithoutAugmentation(NDArray points, NDArray charges) {
        if (points.getShape().dimension() != 2 || !points.getShape().slice(1).equals(charges.getShape().slice(1))) {
            throw new IllegalArgumentException("points (S, N) and charges (B, N) must have the same N; got "
                    + points.getShape() + " and " + charges.getShape());
        }
        return Scopes.keep(() -> {
            NDArray g = pull(points, charges, false, DataType.FLOAT64).direction;
            return g.div(g.norm(new int[] {1}, true));
        });
    }

    /** log of S_N(1) = 2 pi^((N+1)/2) / Gamma((N+1)/2), the area of the unit sphere in R^(N+1). */
    public static double logUnitSphereArea(int n) {
        return Math.log(2) + (n + 1) / 2.0 * Math.log(Math.PI) - Gamma.logGamma((n + 1) / 2.0);
    }

    /**
     * g and the log of sum_j ||q - y_j||^-D ((S, 1)), in {@code precision}. Augmented: points
     * (S, N+1) over charges (B, N) on the z = 0 plane, D = N+1. Otherwise points and charges share
     * the space R^N, D = N.
     */
    private record Pull(NDArray direction, NDArray logNormalizer) {}

    private static Pull pull(NDArray points, NDArray charges, boolean augmented, DataType precision) {
        long s = points.getShape().get(0);
        long b = charges.getShape().get(0);
        int n = Math.toIntExact(charges.getShape().get(1));
        NDArray y = charges.toType(precision, false);
        NDArray yT = y.transpose();
        NDArray ySquared = y.square().sum(new int[] {1}).reshape(1, b);
        long rows = Math.max(1, CHUNK_ELEMENTS / Math.max(1, b));
        List<NDArray> directions = new ArrayList<>();
        List<NDArray> normalizers = new ArrayList<>();
        for (long start = 0; start < s; start += rows) {
            NDArray q = points.get(new NDIndex("{}:{}", start, Math.min(s, start + rows))).toType(precision, false);
            NDArray x = augmented ? q.get(new NDIndex(":, :{}", n)) : q;
            NDArray z = augmented ? q.get(new NDIndex(":, {}:", n)) : null;
            NDArray distSquared = x.square().sum(new int[] {1}, true).add(ySquared).sub(Scalars.times(x.matMul(yT), 2));
            if (augmented) {
                distSquared = distSquared.add(z.square());
            }
            // Cancellation can leave a distance at or below 0: the smallest normal number of the type keeps log finite.
            double smallest = precision == DataType.FLOAT64 ? Double.MIN_NORMAL : Float.MIN_NORMAL;
            NDArray logits = Scalars.times(distSquared.maximum(Scalars.of(distSquared, smallest)).log(),
                    -(augmented ? n + 1 : n) / 2.0);
            NDArray weights = logits.softmax(1);
            // sum_j w_j (y_j - x) = W Y - x, because the weights sum to one.
            NDArray gx = weights.matMul(y).sub(x);
            directions.add(augmented ? NDArrays.concat(new NDList(gx, z.neg()), 1) : gx);
            normalizers.add(logSumExp(logits));
        }
        return new Pull(stackChunks(directions), stackChunks(normalizers));
    }

    /** DJL's concat of a single array duplicates it, which drops gradients: skip it then. */
    private static NDArray stackChunks(List<NDArray> chunks) {
        return chunks.size() == 1 ? chunks.get(0) : NDArrays.concat(new NDList(chunks), 0);
    }

    private static NDArray logSumExp(NDArray logits) {
        NDArray max = logits.max(new int[] {1}, true);
        return logits.sub(max).exp().sum(new int[] {1}, true).log().add(max);
    }

    /** Checks (S, N+1) points against (B, N) charges and returns N. */
    static int checkShapes(NDArray points, NDArray charges) {
        if (charges.getShape().dimension() != 2 || points.getShape().dimension() != 2) {
            throw new IllegalArgumentException("points must be (S, N+1) and charges (B, N); got points "
                    + points.getShape() + " and charges " + charges.getShape());
        }
        long n = charges.getShape().get(1);
        if (points.getShape().get(1) != n + 1) {
            throw new IllegalArgumentException("points have " + points.getShape().get(1)
                    + " columns but charges have N = " + n + ": points must have N+1 columns (x, z)");
        }
        if (charges.getShape().get(0) == 0) {
            throw new IllegalArgumentException("at least one charge is needed");
        }
        return Math.toIntExact(n);
    }
}
