package pfgm.eval;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The Frechet distance between two Gaussians, FID when they are fits of Inception (or other)
 * features: |mu1 - mu2|^2 + Tr(S1 + S2 - 2 (S1 S2)^(1/2)).
 *
 * <p>Tr (S1 S2)^(1/2) equals the sum of the singular values of S1^(1/2) S2^(1/2) (its square is
 * S1^(1/2) S2 S1^(1/2), similar to S1 S2). The two square roots are of symmetric positive
 * semi-definite matrices, taken by eigendecomposition with rounding-level negative eigenvalues set
 * to zero, and singular values carry no square-root amplification of rounding noise. So the result
 * stays accurate for rank-deficient covariances (fewer samples than feature dimensions), where the
 * general matrix square root of S1 S2 that pytorch-fid uses needs an epsilon offset.
 */
public final class Fid {
    private Fid() {}

    public static double distance(GaussianStats a, GaussianStats b) {
        if (a.dim() != b.dim()) {
            throw new IllegalArgumentException("statistics of different dimensions: " + a.dim() + " and " + b.dim());
        }
        double meanTerm = 0;
        for (int k = 0; k < a.dim(); k++) {
            double d = a.mu()[k] - b.mu()[k];
            meanTerm += d * d;
        }
        DMatrixRMaj product = new DMatrixRMaj(a.dim(), a.dim());
        CommonOps_DDRM.mult(symmetricSqrt(a.sigma()), symmetricSqrt(b.sigma()), product);
        double traceSqrt = 0;
        for (double singular : SingularOps_DDRM.singularValues(product)) {
            traceSqrt += singular;
        }
        return meanTerm + CommonOps_DDRM.trace(a.sigma()) + CommonOps_DDRM.trace(b.sigma()) - 2 * traceSqrt;
    }

    /** V diag(sqrt(max(lambda, 0))) V^T of a symmetric matrix. */
    static DMatrixRMaj symmetricSqrt(DMatrixRMaj symmetric) {
        int d = symmetric.numRows;
        EigenDecomposition_F64<DMatrixRMaj> eig = decompose(symmetric);
        DMatrixRMaj result = new DMatrixRMaj(d, d);
        for (int i = 0; i < d; i++) {
            double root = Math.sqrt(Math.max(eig.getEigenvalue(i).getReal(), 0));
            DMatrixRMaj v = eig.getEigenVector(i);
            for (int r = 0; r < d; r++) {
                double vr = v.get(r) * root;
                for (int c = 0; c < d; c++) {
                    result.add(r, c, vr * v.get(c));
                }
            }
        }
        return result;
    }

    private static EigenDecomposition_F64<DMatrixRMaj> decompose(DMatrixRMaj symmetric) {
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(symmetric.numRows, true, true);
        if (!eig.decompose(symmetric.copy())) {
            throw new IllegalStateException("eigendecomposition failed (NaN or infinite covariance?)");
        }
        return eig;
    }
}
