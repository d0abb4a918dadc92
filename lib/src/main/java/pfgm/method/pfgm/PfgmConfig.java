package pfgm.method.pfgm;

import static pfgm.util.Checks.require;

import pfgm.method.SamplingSetting;

/**
 * PFGM's own settings (docs/design.md, the math; the official configs/poisson/*.py): the perturbation
 * kernel and field normalization used in training, and the prior plane and flow range used in
 * sampling.
 *
 * @param sigma perturbation kernel sigma
 * @param tau perturbation kernel tau
 * @param M perturbation kernel M
 * @param restrictM the kernel's restrict_M option
 * @param gamma field normalization gamma
 * @param preconditionScale 0: the network predicts the normalized field itself (the paper's);
 *     s > 0: it learns only the correction to one charge's field at the origin, from x squeezed into
 *     the ball of radius s ({@code pfgm.method.pfgm.PointChargePreconditioning}; for low-dimensional data, see toy2d)
 * @param zMin where the backward flow stops (1e-3 in the paper)
 * @param zMax height of the prior plane
 * @param upperNorm the prior's radius clip
 * @param zExp below this z, v_z is inferred from ||v_x|| (appendix B.2.3); 0 turns it off
 */
public record PfgmConfig(double sigma, double tau, int M, boolean restrictM, double gamma, double preconditionScale,
        @SamplingSetting double zMin, @SamplingSetting double zMax, @SamplingSetting double upperNorm,
        @SamplingSetting double zExp) {

    public PfgmConfig {
        require(sigma > 0 && tau > 0 && M > 0, "pfgm: sigma, tau and M must be > 0");
        require(gamma >= 0, "pfgm: gamma must be >= 0, got " + gamma);
        require(preconditionScale >= 0, "pfgm: preconditionScale must be >= 0 (0 = off), got " + preconditionScale);
        require(zMin > 0 && zMax > zMin, "pfgm: need 0 < zMin < zMax, got " + zMin + ", " + zMax);
        require(upperNorm >= 1, "pfgm: upperNorm must be >= 1, got " + upperNorm);
        require(zExp >= 0, "pfgm: zExp must be >= 0, got " + zExp);
    }

    /** Settings of a network that predicts the field itself (the paper's networks). */
    public PfgmConfig(double sigma, double tau, int M, boolean restrictM, double gamma, double zMin, double zMax,
            double upperNorm, double zExp) {
        this(sigma, tau, M, restrictM, gamma, 0, zMin, zMax, upperNorm, zExp);
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
        return new PfgmConfig(sigma, tau, M, restrictM, value, preconditionScale, zMin, zMax, upperNorm, zExp);
    }
}
