package pfgm.method.pfgm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import pfgm.nn.Network;
import pfgm.util.Scopes;

/**
 * The exact empirical normalized field of a whole (small) data set: a "network" that needs no
 * training. Sampling with it recovers the data set itself, which makes it the reference for
 * priors and solvers. Its label is z; it returns (n, N+1) as a PFGM network does.
 */
public final class OracleField implements Network {
    private final NDArray data;
    private final double gamma;

    /** @param data (B, N) the data set, used as the charges; kept, not copied */
    public OracleField(NDArray data, double gamma) {
        if (data.getShape().dimension() != 2) {
            throw new IllegalArgumentException("oracle data must be (B, N), got " + data.getShape());
        }
        this.data = data;
        this.gamma = gamma;
    }

    public int dim() {
        return Math.toIntExact(data.getShape().get(1));
    }

    @Override
    public NDArray apply(NDArray x, NDArray z) {
        return Scopes.keep(() -> PoissonField.normalized(
                NDArrays.concat(new NDList(x, z.reshape(-1, 1).toType(x.getDataType(), false)), 1), data, gamma));
    }
}
