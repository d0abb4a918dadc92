package pfgm.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import pfgm.io.NumPy;

/** Reads the arrays the commands take, with checks that name the file and what was expected. */
final class Inputs {
    private Inputs() {}

    /** A float matrix: (rows, columns) from a 2-D file, or images (n, ...) flattened to (n, prod(...)). */
    static NDArray matrix(NDManager manager, Path path, String role) {
        NDArray array = NumPy.read(manager, path);
        DataType type = array.getDataType();
        if (!type.isFloating()) {
            throw new IllegalArgumentException(role + " " + path + " has dtype " + type
                    + "; expected float32 or float64 (convert with array.astype('float32'))");
        }
        if (array.getShape().dimension() < 2 || array.getShape().get(0) == 0) {
            throw new IllegalArgumentException(role + " " + path + " has shape " + array.getShape()
                    + "; expected (n, N) rows, or images (n, C, H, W)");
        }
        return array.reshape(array.getShape().get(0), -1).toType(DataType.FLOAT32, false);
    }
}
