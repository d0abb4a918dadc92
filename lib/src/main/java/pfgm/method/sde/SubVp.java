package pfgm.method.sde;

/**
 * The sub-VP SDE (score-SDE's subVPSDE): VP's drift and mean, diffusion
 * g^2 = beta(t) (1 - exp(-2 int_0^t beta)), std = 1 - a^2 (no square root: its variance stays
 * below VP's), prior N(0, I). The network sees 999 t; score = -output / std. The reverse-diffusion
 * predictor uses the default Euler-Maruyama discretization, as score-SDE's.
 */
public final class SubVp extends BetaSde {
    public static final String NAME = "subvp";

    public SubVp(SdeConfig config) {
        super(config);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double std(double t) {
        return beta.oneMinusExp(1, t);
    }

    @Override
    public double diffusion(double t) {
        return Math.sqrt(beta.at(t) * beta.oneMinusExp(2, t));
    }

}
