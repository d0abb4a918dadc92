package pfgm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** Conversions between NDArrays and Java matrices for the tests' independent computations. */
public final class Arrays2 {
    private Arrays2() {}

    public static double[][] rows(NDArray matrix) {
        return pfgm.notebook.Notebook.rows(matrix);
    }

    public static NDArray matrix(NDManager manager, double[][] rows) {
        int c = rows[0].length;
        double[] flat = new double[rows.length * c];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * c, c);
        }
        return manager.create(flat, new ai.djl.ndarray.types.Shape(rows.length, c));
    }

    public static double cosine(double[] a, double[] b) {
        return dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
    }

    public static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    public static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }
}
