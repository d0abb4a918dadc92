package pfgm.method.sde;

import ai.djl.ndarray.NDArray;
import pfgm.util.Scalars;

/**
 * The variance-preserving SDE (score-SDE's VPSDE, the continuous DDPM): dx = -beta(t) x / 2 dt +
 * sqrt(beta(t)) dw, a(t) = exp(-int_0^t beta / 2), std = sqrt(1 - a^2), prior N(0, I). The
 * network sees 999 t and predicts the noise: score = -output / std.
 */
public final class Vp extends BetaSde {
    public static final String NAME = "vp";

    public Vp(SdeConfig config) {
        super(config);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double std(double t) {
        return Math.sqrt(beta.oneMinusExp(1, t));
    }

    @Override
    public double diffusion(double t) {
        return Math.sqrt(beta.at(t));
    }

    /** DDPM's step: x_{i+1} = sqrt(1 - beta_i) x_i + sqrt(beta_i) z. */
    @Override
    public Discretized discretize(NDArray x, double t, int steps) {
        double b = beta.discrete(stepIndex(t, steps), steps);
        return new Discretized(Scalars.times(x, Math.sqrt(1 - b) - 1), Math.sqrt(b));
    }

}
