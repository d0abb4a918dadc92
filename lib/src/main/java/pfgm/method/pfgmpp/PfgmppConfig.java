package pfgm.method.pfgmpp;

import static pfgm.util.Checks.require;

import pfgm.method.SamplingSetting;

/**
 * PFGM++'s settings (Newbeeer/pfgmpp, on EDM's training and sampling): D extra dimensions, EDM's
 * log-normal training distribution of sigma, its preconditioning's sigma_data, and the sampling
 * schedule's range and rho. D = Infinity is EDM itself.
 *
 * @param D augmented dimensions (> 0; Infinity for EDM)
 * @param sigmaMin smallest sigma of the sampling schedule (0.002)
 * @param sigmaMax largest sigma, where the prior sits (80)
 * @param rho the schedule's exponent (7)
 * @param pMean mean of ln sigma in training (-1.2)
 * @param pStd standard deviation of ln sigma in training (1.2)
 * @param sigmaData the data's standard deviation assumed by the preconditioning (0.5)
 */
public record PfgmppConfig(double D, @SamplingSetting double sigmaMin, @SamplingSetting double sigmaMax,
        @SamplingSetting double rho, double pMean, double pStd, double sigmaData) {

    public PfgmppConfig {
        require(D > 0, "pfgmpp: D must be > 0 (Infinity for EDM), got " + D);
        require(sigmaMin > 0 && sigmaMax > sigmaMin && Double.isFinite(sigmaMax),
                "pfgmpp: need 0 < sigmaMin < sigmaMax < Infinity, got " + sigmaMin + ", " + sigmaMax);
        require(rho > 0 && Double.isFinite(rho), "pfgmpp: rho must be > 0 and finite, got " + rho);
        require(Double.isFinite(pMean) && pStd > 0 && Double.isFinite(pStd),
                "pfgmpp: need a finite pMean and 0 < pStd < Infinity, got " + pMean + ", " + pStd);
        require(sigmaData > 0 && Double.isFinite(sigmaData), "pfgmpp: sigmaData must be > 0 and finite, got " + sigmaData);
    }

    /** EDM's CIFAR-10 settings with D extra dimensions. */
    public static PfgmppConfig edm(double d) {
        return new PfgmppConfig(d, 0.002, 80, 7, -1.2, 1.2, 0.5);
    }

    /** These settings with another sigma_data (the data's standard deviation). */
    public PfgmppConfig withSigmaData(double value) {
        return new PfgmppConfig(D, sigmaMin, sigmaMax, rho, pMean, pStd, value);
    }
}
