package pfgm.method;

import ai.djl.ndarray.NDArray;
import pfgm.config.SdeConfig;
import pfgm.util.Scalars;

/**
 * The sub-VP SDE (score-SDE's subVPSDE): VP's drift and mean, diffusion
 * g^2 = beta(t) (1 - exp(-2 int_0^t beta)), std = 1 - a^2 (no square root: its variance stays
 * below VP's), prior N(0, I). The network sees 999 t; score = -output / std. The reverse-diffusion
 * predictor uses the default Euler-Maruyama discretization, as score-SDE's.
 */
public final class SubVp extends Sde {
    private final LinearBeta beta;

    public SubVp(SdeConfig config) {
        super(config);
        beta = new LinearBeta(config.betaMin(), config.betaMax());
    }

    @Override
    public String name() {
        return "subvp";
    }

    @Override
    public double meanCoefficient(double t) {
        return Math.exp(beta.logMeanCoefficient(t));
    }

    @Override
    public double std(double t) {
        return beta.oneMinusExp(1, t);
    }

    @Override
    public NDArray drift(NDArray x, double t) {
        return Scalars.times(x, -beta.at(t) / 2);
    }

    @Override
    public double diffusion(double t) {
        return Math.sqrt(beta.at(t) * beta.oneMinusExp(2, t));
    }

    @Override
    public double priorStd() {
        return 1;
    }

    @Override
    public double label(double t) {
        return 999 * t;
    }

    @Override
    public double scoreScale(double t) {
        return -1 / std(t);
    }

    /**
     * DDPM's alpha_i of the shared beta schedule: what score-SDE's Langevin corrector asks of
     * sub-VP (its subVPSDE has no alphas, so the official corrector stops there with an error).
     */
    @Override
    public double langevinAlpha(double t, int steps) {
        return 1 - beta.discrete(stepIndex(t, steps), steps);
    }
}
