package pfgm.method.pfgm;

import static pfgm.util.Checks.require;

import ai.djl.ndarray.NDArray;

/**
 * M, z_max and upper_norm from a data set's average norm and dimension (the paper's appendix B.1
 * and B.2, the official hyper-parameters.py).
 */
public record Hyperparameters(int M, double zMax, double upperNorm) {

    /**
     * @param dataNorm average Euclidean norm of the (scaled) data
     * @param dataDim N, the data dimension
     * @param sigma the kernel's sigma (0.01 in the paper)
     * @param tau the kernel's tau (0.03 in the paper)
     */
    public static Hyperparameters forData(double dataNorm, int dataDim, double sigma, double tau) {
        require(dataNorm > 0, "data norm must be > 0, got " + dataNorm);
        require(dataDim > 0, "data dimension must be > 0, got " + dataDim);
        require(sigma > 0, "sigma must be > 0, got " + sigma);
        require(tau > 0, "tau must be > 0, got " + tau);
        double spread = dataNorm * dataNorm / (2 * Math.sqrt(dataDim) * sigma * sigma);
        int m = (int) Math.floor(0.75 * Math.log(spread) / Math.log1p(tau)) + 1;
        double growth = Math.pow(1 + tau, m);
        return new Hyperparameters(m, Math.sqrt(2 / Math.PI) * sigma * growth, Math.sqrt(dataDim) * sigma * growth);
    }

    /** The average Euclidean norm of the rows of an (n, N) array (images flattened first). */
    public static double averageNorm(NDArray data) {
        NDArray flat = data.reshape(data.getShape().get(0), -1);
        try (NDArray norms = flat.norm(new int[] {1})) {
            return norms.mean().toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
        }
    }
}
