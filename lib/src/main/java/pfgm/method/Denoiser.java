package pfgm.method;

import ai.djl.ndarray.NDArray;

/**
 * EDM's denoiser D(x, sigma): the clean data a perturbed x came from, in expectation. PFGM++ and
 * EDM train a preconditioned network to be one ({@link Pfgmpp#denoiser}); for a small data set
 * {@link OracleDenoiser} is the exact one.
 */
@FunctionalInterface
public interface Denoiser {
    /**
     * @param x (n, N) perturbed rows
     * @param sigma the noise level of each row (n values)
     * @return (n, N) in x's data type
     */
    NDArray denoise(NDArray x, double[] sigma);
}
