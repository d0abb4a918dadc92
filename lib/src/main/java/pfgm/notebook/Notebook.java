package pfgm.notebook;

import ai.djl.ndarray.NDArray;
import pfgm.util.Matrices;

/** Small conversions notebook cells need often; the Java kernel imports these statically. */
public final class Notebook {
    private Notebook() {}

    /** The rows of a 2-D array as Java doubles, for plots and hand computations. */
    public static double[][] rows(NDArray matrix) {
        return Matrices.rows(matrix);
    }
}
