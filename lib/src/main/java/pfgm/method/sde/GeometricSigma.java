package pfgm.method.sde;

/**
 * The VE SDE's noise schedule: sigma(t) = sigma_min (sigma_max / sigma_min)^t and SMLD's discrete
 * levels exp(linspace(ln sigma_min, ln sigma_max, N)) (score-SDE's VESDE).
 */
record GeometricSigma(double min, double max) {

    double at(double t) {
        return min * Math.pow(max / min, t);
    }

    /** ln(sigma_max / sigma_min): g(t)^2 = 2 sigma(t)^2 times this. */
    double logRatio() {
        return Math.log(max / min);
    }

    /** SMLD's i-th of N levels. */
    double discrete(int i, int steps) {
        double logMin = Math.log(min);
        return Math.exp(logMin + (Math.log(max) - logMin) * i / (steps - 1));
    }
}
