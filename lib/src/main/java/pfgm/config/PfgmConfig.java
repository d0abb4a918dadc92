package pfgm.config;

import static pfgm.config.TrainConfig.require;

import pfgm.field.Hyperparameters;

/**
 * PFGM's own settings (DESIGN.md section 2; the official configs/poisson/*.py): the perturbation
 * kernel and field normalization used in training, and the prior plane and flow range used in
 * sampling.
 *
 * @param sigma perturbation kernel sigma
 * @param tau perturbation kernel tau
 * @param M perturbation kernel M
 * @param restrictM the kernel's restrict_M option
 * @param gamma field normalization gamma
 * @param zMin where the backward flow stops (1e-3 in the paper)
 * @param zMax height of the prior plane
 * @param upperNorm the prior's radius clip
 * @param zExp below this z, v_z is inferred from ||v_x|| (appendix B.2.3); 0 turns it off
 */
public record PfgmConfig(double sigma, double tau, int M, boolean restrictM, double gamma, @SamplingSetting double zMin,
        @SamplingSetting double zMax, @SamplingSetting double upperNorm, @SamplingSetting double zExp) {

    public PfgmConfig {
        require(sigma > 0 && tau > 0 && M > 0, "pfgm: sigma, tau and M must be > 0");
        require(gamma >= 0, "pfgm: gamma must be >= 0, got " + gamma);
        require(zMin > 0 && zMax > zMin, "pfgm: need 0 < zMin < zMax, got " + zMin + ", " + zMax);
        require(upperNorm >= 1, "pfgm: upperNorm must be >= 1, got " + upperNorm);
        require(zExp >= 0, "pfgm: zExp must be >= 0, got " + zExp);
    }

    /** The paper's sigma, tau, gamma, z_min and z_exp with M, z_max and upper_norm given. */
    public static PfgmConfig paper(int m, double zMax, double upperNorm) {
        return new PfgmConfig(0.01, 0.03, m, true, 5, 1e-3, zMax, upperNorm, 5);
    }

    /** The paper's settings with M, z_max and upper_norm from the hyper-parameter rules for the data. */
    public static PfgmConfig forData(double dataNorm, int dataDim) {
        Hyperparameters hp = Hyperparameters.forData(dataNorm, dataDim, 0.01, 0.03);
        return paper(hp.M(), hp.zMax(), hp.upperNorm());
    }

    public PfgmConfig withGamma(double value) {
        return new PfgmConfig(sigma, tau, M, restrictM, value, zMin, zMax, upperNorm, zExp);
    }
}
