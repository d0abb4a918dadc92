package pfgm.method.sde;

/**
 * The noise schedule the VP and sub-VP SDEs share: beta(t) = beta_min + t (beta_max - beta_min)
 * and DDPM's discrete betas, linspace(beta_min / N, beta_max / N, N) (score-SDE's VPSDE).
 */
record LinearBeta(double min, double max) {

    double at(double t) {
        return min + t * (max - min);
    }

    /** The integral of beta from 0 to t. */
    double integral(double t) {
        return min * t + (max - min) * t * t / 2;
    }

    /** log a(t) = -integral / 2: the log of the marginal's mean coefficient. */
    double logMeanCoefficient(double t) {
        return -integral(t) / 2;
    }

    /** 1 - exp(-c integral(t)), without cancellation at small t. */
    double oneMinusExp(double c, double t) {
        return -Math.expm1(-c * integral(t));
    }

    /** DDPM's beta_i, the i-th of linspace(beta_min / N, beta_max / N, N). */
    double discrete(int i, int steps) {
        return (min + (max - min) * i / (steps - 1)) / steps;
    }
}
