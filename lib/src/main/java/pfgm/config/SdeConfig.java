package pfgm.config;

import static pfgm.config.TrainConfig.require;

/**
 * The diffusion SDEs' settings (score-SDE's sde_lib.py and configs): beta_min and beta_max of the
 * VP and sub-VP SDEs, sigma_min and sigma_max of the VE SDE, and the smallest times of training
 * and sampling.
 *
 * @param betaMin beta(0) of VP and sub-VP (0.1)
 * @param betaMax beta(1) of VP and sub-VP (20)
 * @param sigmaMin sigma(0) of VE (0.01)
 * @param sigmaMax sigma(1) of VE (50 for CIFAR-10; the largest distance between training points, score-SDE's technique 1)
 * @param trainEps training draws t ~ U[trainEps, 1] (1e-5)
 * @param sampleEps sampling stops at t = sampleEps (1e-3)
 */
public record SdeConfig(double betaMin, double betaMax, double sigmaMin, double sigmaMax, double trainEps,
        @SamplingSetting double sampleEps) {

    public SdeConfig {
        require(betaMin > 0 && betaMax > betaMin, "sde: need 0 < betaMin < betaMax, got " + betaMin + ", " + betaMax);
        require(sigmaMin > 0 && sigmaMax > sigmaMin, "sde: need 0 < sigmaMin < sigmaMax, got " + sigmaMin + ", " + sigmaMax);
        require(trainEps > 0 && trainEps < 1 && sampleEps > 0 && sampleEps < 1, "sde: trainEps and sampleEps must be in (0, 1)");
    }

    /** score-SDE's CIFAR-10 settings. */
    public static SdeConfig cifar10() {
        return new SdeConfig(0.1, 20, 0.01, 50, 1e-5, 1e-3);
    }

    /** score-SDE's settings with sigma_max for the data (VE). */
    public static SdeConfig withSigmaMax(double sigmaMax) {
        return new SdeConfig(0.1, 20, 0.01, sigmaMax, 1e-5, 1e-3);
    }
}
