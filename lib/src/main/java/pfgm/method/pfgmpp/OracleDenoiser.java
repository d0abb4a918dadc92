package pfgm.method.pfgmpp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import pfgm.nn.Network;
import pfgm.util.Scalars;

/**
 * The exact denoiser of a finite data set y_1..y_B under PFGM++'s perturbation kernel
 * p_r(x | y) ~ (||x - y||^2 + r^2)^(-(N+D)/2), r = sigma sqrt(D): the posterior mean
 * D(x, sigma) = sum_i w_i y_i with w_i ~ (||x - y_i||^2 + r^2)^(-(N+D)/2), and for D = Infinity
 * (EDM) w_i ~ exp(-||x - y_i||^2 / (2 sigma^2)). It is what a perfectly trained network computes
 * for that data set, PFGM++'s analogue of PFGM's {@code OracleField}: sampling with it
 * recovers the data set, which makes it the reference for priors, schedules and solvers.
 *
 * <p>The weights are a softmax over -(N+D)/2 log(1 + ||x - y_i||^2 / r^2) in float64 (the common
 * factor r^-(N+D) is dropped, which keeps D = 10^6 exact), over rows in chunks. No casts happen
 * for float64 input, so the likelihood can differentiate through it.
 */
public final class OracleDenoiser implements Network {
    /** Largest chunk of the (rows x data) distance matrix held at once. */
    private static final long CHUNK_ELEMENTS = 1 << 22;
    private final NDArray data;
    private final double augmentedDims;

    /**
     * @param data (B, N) the data set; kept, not copied
     * @param D PFGM++'s augmented dimensions (> 0; Infinity for EDM)
     */
    public OracleDenoiser(NDArray data, double D) {
        if (data.getShape().dimension() != 2) {
            throw new IllegalArgumentException("oracle data must be (B, N), got " + data.getShape());
        }
        if (!(D > 0)) {
            throw new IllegalArgumentException("D must be > 0 (Infinity for EDM), got " + D);
        }
        this.data = data;
        this.augmentedDims = D;
    }

    /** D(x, sigma) for rows x (n, N), one noise level per row in {@code sigmas} (n). */
    @Override
    public NDArray apply(NDArray x, NDArray sigmas) {
        double[] sigma = sigmas.toType(DataType.FLOAT64, false).toDoubleArray();
        long n = x.getShape().get(0);
        long b = data.getShape().get(0);
        long dim = data.getShape().get(1);
        if (x.getShape().dimension() != 2 || x.getShape().get(1) != dim || sigma.length != n) {
            throw new IllegalArgumentException("need x (n, " + dim + ") and n noise levels, got x " + x.getShape()
                    + " and " + sigma.length);
        }
        NDArray y = float64(data);
        NDArray ySquared = y.square().sum(new int[] {1}).reshape(1, b);
        NDArray yT = y.transpose();
        boolean edm = Double.isInfinite(augmentedDims);
        // Per row: the factor on the squared distance, -1 / (2 sigma^2) for EDM, 1 / r^2 otherwise.
        double[] scale = new double[sigma.length];
        for (int i = 0; i < sigma.length; i++) {
            scale[i] = edm ? -0.5 / (sigma[i] * sigma[i]) : 1 / (sigma[i] * sigma[i] * augmentedDims);
        }
        long rows = Math.max(1, CHUNK_ELEMENTS / Math.max(1, b));
        List<NDArray> chunks = new ArrayList<>();
        for (long start = 0; start < n; start += rows) {
            long end = Math.min(n, start + rows);
            NDArray xs = float64(x.get(new NDIndex("{}:{}", start, end)));
            NDArray distSquared = xs.square().sum(new int[] {1}, true).add(ySquared).sub(Scalars.times(xs.matMul(yT), 2))
                    .maximum(Scalars.of(ySquared, 0));
            double[] part = java.util.Arrays.copyOfRange(scale, (int) start, (int) end);
            NDArray scaled = distSquared.mul(EdmPreconditioning.column(distSquared, part));
            NDArray logits = edm ? scaled
                    : Scalars.times(scaled.add(Scalars.of(scaled, 1)).log(), -(dim + augmentedDims) / 2);
            chunks.add(logits.softmax(1).matMul(y));
        }
        NDArray out = chunks.size() == 1 ? chunks.get(0) : NDArrays.concat(new NDList(chunks), 0);
        return out.getDataType() == x.getDataType() ? out : out.toType(x.getDataType(), false);
    }

    private static NDArray float64(NDArray a) {
        return a.getDataType() == DataType.FLOAT64 ? a : a.toType(DataType.FLOAT64, false);
    }
}
