package pfgm.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;
import pfgm.io.NumPy;

/**
 * The Gaussian fit (mean and covariance, float64) of a set of features: what FID compares. Saved
 * as .npz with the keys pytorch-fid uses ({@code mu}, {@code sigma}), so statistics move between
 * this kit and Python tools.
 */
public record GaussianStats(double[] mu, DMatrixRMaj sigma) {

    /** Mean and unbiased covariance (divisor n - 1, as numpy.cov) of the rows. */
    public static GaussianStats of(double[][] features) {
        if (features.length < 2) {
            throw new IllegalArgumentException("need at least 2 feature rows for a covariance, got " + features.length);
        }
        return FeatureMoments.of(features).stats();
    }

    public int dim() {
        return mu.length;
    }

    public void save(Path path) throws IOException {
        try (NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu())) { // cpu: Java values for a file
            Map<String, NDArray> arrays = new LinkedHashMap<>();
            arrays.put("mu", manager.create(mu));
            arrays.put("sigma", manager.create(sigma.getData(), new Shape(dim(), dim())));
            NumPy.writeAll(path, arrays);
        }
    }

    /** Reads an .npz with {@code mu} (d) and {@code sigma} (d, d), e.g. one pytorch-fid wrote. */
    public static GaussianStats load(Path path) {
        // cpu: an npz read into Java values; FID's float64 statistics and matrix square root are EJML's, in Java.
        try (NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            Map<String, NDArray> arrays = NumPy.readAll(manager, path);
            NDArray mu = arrays.get("mu");
            NDArray sigma = arrays.get("sigma");
            if (mu == null || sigma == null) {
                throw new IllegalArgumentException(path + " has arrays " + arrays.keySet()
                        + "; FID statistics need 'mu' and 'sigma' (the pytorch-fid keys)");
            }
            long d = mu.getShape().get(0);
            if (mu.getShape().dimension() != 1 || !sigma.getShape().equals(new Shape(d, d))) {
                throw new IllegalArgumentException(path + ": mu " + mu.getShape() + " and sigma " + sigma.getShape()
                        + " do not fit; expected (d) and (d, d)");
            }
            double[] sigmaValues = sigma.toType(DataType.FLOAT64, false).toDoubleArray();
            return new GaussianStats(mu.toType(DataType.FLOAT64, false).toDoubleArray(),
                    new DMatrixRMaj((int) d, (int) d, true, sigmaValues));
        }
    }
}
