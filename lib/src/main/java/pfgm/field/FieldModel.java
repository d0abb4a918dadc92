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
}
