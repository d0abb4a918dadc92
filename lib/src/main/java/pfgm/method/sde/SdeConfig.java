package pfgm.method.sde;

import static pfgm.util.Checks.require;

import pfgm.method.SamplingSetting;

/**
 * The diffusion SDEs' settings (score-SDE's sde_lib.py and configs): beta_min and beta_max of the
 * VP and sub-VP SDEs, sigma_min and sigma_max of the VE SDE, the smallest times of training and
 * sampling, and how the loss reduces over the data dimensions.
 *
 * @param betaMin beta(0) of VP and sub-VP (0.1)
 * @param betaMax beta(1) of VP and sub-VP (20)
 * @param sigmaMin sigma(0) of VE (0.01)
 * @param sigmaMax sigma(1) of VE (50 for CIFAR-10; the largest distance between training points, score-SDE's technique 1)
 * @param trainEps training draws t ~ U[trainEps, 1] (1e-5)
 * @param sampleEps sampling stops at t = sampleEps (score-SDE's run_lib.py: 1e-3 for VP and sub-VP, 1e-5 for VE)
 * @param reduceMean the loss per sample is the mean of the squared errors over the data's
 *     dimensions (true: score-SDE's VP and sub-VP configs) or half their sum (false: its VE configs)
 */
public record SdeConfig(double betaMin, double betaMax, double sigmaMin, double sigmaMax, double trainEps,
        @SamplingSetting double sampleEps, boolean reduceMean) {

    public SdeConfig {
        require(betaMin > 0 && betaMax > betaMin, "sde: need 0 < betaMin < betaMax, got " + betaMin + ", " + betaMax);
        require(sigmaMin > 0 && sigmaMax > sigmaMin, "sde: need 0 < sigmaMin < sigmaMax, got " + sigmaMin + ", " + sigmaMax);
        require(trainEps > 0 && trainEps < 1 && sampleEps > 0 && sampleEps < 1, "sde: trainEps and sampleEps must be in (0, 1), got "
                + trainEps + ", " + sampleEps);
    }

    /** score-SDE's CIFAR-10 settings of the VP and sub-VP SDEs (reduce_mean = True). */
    public static SdeConfig cifar10() {
        return new SdeConfig(0.1, 20, 0.01, 50, 1e-5, 1e-3, true);
    }

    /** score-SDE's VE settings with the given sigma range (reduce_mean = False, as its VE configs; sampling to 1e-5). */
    public static SdeConfig ve(double sigmaMin, double sigmaMax) {
        return new SdeConfig(0.1, 20, sigmaMin, sigmaMax, 1e-5, 1e-5, false);
    }

    /** score-SDE's VE settings with sigma_max for the data (sigma_min 0.01, reduce_mean = False). */
    public static SdeConfig withSigmaMax(double sigmaMax) {
        return ve(0.01, sigmaMax);
    }
}
