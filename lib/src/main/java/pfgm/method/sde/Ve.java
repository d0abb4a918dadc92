package pfgm.method.sde;

import ai.djl.ndarray.NDArray;

/**
 * The variance-exploding SDE (score-SDE's VESDE, the continuous SMLD / NCSN):
 * sigma(t) = sigma_min (sigma_max / sigma_min)^t, dx = sigma(t) sqrt(2 ln(sigma_max / sigma_min)) dw,
 * a = 1, std = sigma(t), prior N(0, sigma_max^2 I). The network sees sigma(t) and its output is
 * divided by it (scale_by_sigma): score = output / sigma.
 */
public final class Ve extends Sde {
    public static final String NAME = "ve";

    private final GeometricSigma schedule;

    public Ve(SdeConfig config) {
        super(config);
        schedule = new GeometricSigma(config.sigmaMin(), config.sigmaMax());
    }

    @Override
    public String name() {
        return NAME;
    }

    public double sigma(double t) {
        return schedule.at(t);
    }

    @Override
    public double meanCoefficient(double t) {
        return 1;
    }

    @Override
    public double std(double t) {
        return sigma(t);
    }

    @Override
    public NDArray drift(NDArray x, double t) {
        return x.zerosLike();
    }

    @Override
    public double diffusion(double t) {
        return sigma(t) * Math.sqrt(2 * schedule.logRatio());
    }

    @Override
    public double priorStd() {
        return config.sigmaMax();
    }

    @Override
    public double label(double t) {
        return sigma(t);
    }

    @Override
    public double scoreScale(double t) {
        return 1 / sigma(t);
    }

    /**
     * SMLD's step between neighbouring noise levels of exp(linspace(ln sigma_min, ln sigma_max, N)):
     * f = 0, G = sqrt(sigma_i^2 - sigma_{i-1}^2), sigma_{-1} = 0.
     */
    @Override
    public Discretized discretize(NDArray x, double t, int steps) {
        int i = stepIndex(t, steps);
        double current = schedule.discrete(i, steps);
        double previous = i == 0 ? 0 : schedule.discrete(i - 1, steps);
        return new Discretized(x.zerosLike(), Math.sqrt(current * current - previous * previous));
    }
}
