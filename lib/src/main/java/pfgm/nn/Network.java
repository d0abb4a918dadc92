package pfgm.nn;

import ai.djl.ndarray.NDArray;

/**
 * What a method sees of a trained network (or of an exact stand-in for one, such as
 * {@code pfgm.method.pfgm.OracleField}): a function of rows of data and one conditioning value per row,
 * the label (z for PFGM, 999 t or sigma for the SDEs, EDM's c_noise for PFGM++).
 */
@FunctionalInterface
public interface Network {
    /**
     * @param x (n, N) data coordinates
     * @param label (n) conditioning values
     * @return (n, N + extra): for PFGM v_x in the first N columns and v_z in the last; for the
     *     other methods the network's N outputs
     */
    NDArray apply(NDArray x, NDArray label);
}
