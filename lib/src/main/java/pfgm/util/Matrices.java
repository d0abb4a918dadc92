package pfgm.util;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Conversions between DJL arrays and Java matrices, for metrics and plots that work in float64. */
public final class Matrices {
    private Matrices() {}

    /** The rows of a 2-D array as Java doubles. */
    public static double[][] rows(NDArray matrix) {
        if (matrix.getShape().dimension() != 2) {
            throw new IllegalArgumentException("rows() needs a 2-D array, got shape " + matrix.getShape());
        }
        int r = Math.toIntExact(matrix.getShape().get(0));
        int c = Math.toIntExact(matrix.getShape().get(1));
        double[] flat = matrix.toType(DataType.FLOAT64, false).toDoubleArray();
        double[][] out = new double[r][c];
        for (int i = 0; i < r; i++) {
            System.arraycopy(flat, i * c, out[i], 0, c);
        }
        return out;
    }
}
