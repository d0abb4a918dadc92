package pfgm.notebook;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Small conversions notebook cells need often; the Java kernel imports these statically. */
public final class Notebook {
    private Notebook() {}

    /** The rows of a 2-D array as Java doubles, for plots and hand computations. */
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
