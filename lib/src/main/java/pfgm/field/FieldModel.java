package pfgm.field;

import ai.djl.ndarray.NDArray;

/**
 * Anything that predicts the normalized Poisson field: a trained network or the exact
 * {@link OracleField}. The sampler only sees this interface.
 */
@FunctionalInterface
public interface FieldModel {
    /**
     * @param x (n, N) data coordinates
     * @param z (n) heights above the data plane, positive
     * @return (n, N+1): v_x in the first N columns, v_z in the last
     */
    NDArray field(NDArray x, NDArray z);

    /**
     * This model, telling {@code fractionDone} after each evaluation how much of the flow from
     * zTop down to zBottom (in log z, the solvers' time) is covered: for progress bars.
     */
    default FieldModel reportingProgress(double zTop, double zBottom, java.util.function.DoubleConsumer fractionDone) {
        double span = Math.log(zTop) - Math.log(zBottom);
        return (x, z) -> {
            fractionDone.accept(Math.min(1, Math.max(0, (Math.log(zTop) - Math.log(z.getFloat(0))) / span)));
            return field(x, z);
        };
    }
}
