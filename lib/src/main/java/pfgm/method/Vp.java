package pfgm.method;

import ai.djl.ndarray.NDArray;
import pfgm.config.SdeConfig;
import pfgm.util.Scalars;

/**
 * The variance-preserving SDE (score-SDE's VPSDE, the continuous DDPM): dx = -beta(t) x / 2 dt +
 * sqrt(beta(t)) dw, a(t) = exp(-int_0^t beta / 2), std = sqrt(1 - a^2), prior N(0, I). The
 * network sees 999 t and predicts the noise: score = -output / std.
 */
public final class Vp extends Sde {
    private final LinearBeta beta;

    public Vp(SdeConfig config) {
        super(config);
        beta = new LinearBeta(config.betaMin(), config.betaMax());
    }

    @Override
    public String name() {
        return "vp";
    }

    @Override
    public double meanCoefficient(double t) {
        return Math.exp(beta.logMeanCoefficient(t));
    }

    @Override
    public double std(double t) {
        return Math.sqrt(beta.oneMinusExp(1, t));
    }

    @Override
    public NDArray drift(NDArray x, double t) {
        return Scalars.times(x, -beta.at(t) / 2);
    }

    @Override
    public double diffusion(double t) {
        return Math.sqrt(beta.at(t));
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

    /** DDPM's step: x_{i+1} = sqrt(1 - beta_i) x_i + sqrt(beta_i) z. */
    @Override
    public Discretized discretize(NDArray x, double t, int steps) {
        double b = beta.discrete(stepIndex(t, steps), steps);
        return new Discretized(Scalars.times(x, Math.sqrt(1 - b) - 1), Math.sqrt(b));
    }

    @Override
    public double langevinAlpha(double t, int steps) {
        return 1 - beta.discrete(stepIndex(t, steps), steps);
    }
}
