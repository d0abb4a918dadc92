package pfgm.method.sde;

import ai.djl.ndarray.NDArray;
import pfgm.util.Scalars;

/**
 * What the VP and sub-VP SDEs share: the linear beta schedule, the drift -beta(t) x / 2 and so the
 * marginal mean a(t) = exp(-int_0^t beta / 2), the prior N(0, I), and the network's parametrization
 * (it sees 999 t and predicts the noise: score = -output / std). They differ in the diffusion and
 * so in std.
 */
abstract class BetaSde extends Sde {
    protected final LinearBeta beta;

    BetaSde(SdeConfig config) {
        super(config);
        beta = new LinearBeta(config.betaMin(), config.betaMax());
    }

    @Override
    public double meanCoefficient(double t) {
        return Math.exp(beta.logMeanCoefficient(t));
    }

    @Override
    public NDArray drift(NDArray x, double t) {
        return Scalars.times(x, -beta.at(t) / 2);
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
     * DDPM's alpha_i of the beta schedule, for the Langevin corrector's step size (score-SDE's
     * subVPSDE has no alphas, so its official corrector stops there with an error; sub-VP uses VP's).
     */
    @Override
    public double langevinAlpha(double t, int steps) {
        return 1 - beta.discrete(stepIndex(t, steps), steps);
    }
}
