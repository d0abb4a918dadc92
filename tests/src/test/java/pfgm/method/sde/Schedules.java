package pfgm.method.sde;

/**
 * The three SDEs' marginals written out again from docs/design.md (other methods) and score-SDE's
 * sde_lib.py, apart from {@code pfgm.method}, so the tests compare the library with an
 * independent transcription: a(t), std(t), the label the network sees and the factor its
 * output is of the score (output = score * outputPerScore).
 */
record Schedules(Kind kind, double betaMin, double betaMax, double sigmaMin, double sigmaMax) {
    enum Kind { VP, SUBVP, VE }

    static Schedules vp() {
        return new Schedules(Kind.VP, 0.1, 20, 0, 0);
    }

    static Schedules subvp() {
        return new Schedules(Kind.SUBVP, 0.1, 20, 0, 0);
    }

    static Schedules ve(double sigmaMin, double sigmaMax) {
        return new Schedules(Kind.VE, 0, 0, sigmaMin, sigmaMax);
    }

    double a(double t) {
        return kind == Kind.VE ? 1 : Math.exp(-t * t * (betaMax - betaMin) / 4 - t * betaMin / 2);
    }

    double std(double t) {
        return switch (kind) {
            case VP -> Math.sqrt(1 - a(t) * a(t));
            case SUBVP -> 1 - a(t) * a(t);
            case VE -> sigmaMin * Math.pow(sigmaMax / sigmaMin, t);
        };
    }

    /** t from the label: 999 t for VP and sub-VP, sigma(t) for VE. */
    double timeOfLabel(double label) {
        return kind == Kind.VE ? Math.log(label / sigmaMin) / Math.log(sigmaMax / sigmaMin) : label / 999;
    }

    /** VP and sub-VP networks predict -std * score (the noise); VE's output is sigma * score. */
    double outputPerScore(double t) {
        return kind == Kind.VE ? std(t) : -std(t);
    }
}
