package pfgm.sampling;

import static pfgm.util.Checks.require;

import java.util.Locale;

/**
 * score-SDE's predictor-corrector settings (sampling.py; its configs' sampling.predictor,
 * corrector, snr and n_steps_each).
 *
 * @param predictor a step of the reverse SDE: reverse_diffusion or euler_maruyama
 * @param corrector langevin, or none
 * @param snr the Langevin corrector's signal-to-noise ratio
 * @param correctorSteps Langevin steps before each predictor step
 */
public record PredictorCorrectorConfig(Predictor predictor, Corrector corrector, double snr, int correctorSteps) {
    public enum Predictor {
        REVERSE_DIFFUSION, EULER_MARUYAMA;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Corrector {
        LANGEVIN, NONE;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public PredictorCorrectorConfig {
        require(snr > 0 && correctorSteps >= 0, "sampling: need snr > 0 and correctorSteps >= 0, got " + snr + ", "
                + correctorSteps);
    }

    /** score-SDE's settings: VE's reverse diffusion with one Langevin step at snr 0.16; the others' Euler-Maruyama alone. */
    public static PredictorCorrectorConfig scoreSde(boolean ve) {
        return ve ? new PredictorCorrectorConfig(Predictor.REVERSE_DIFFUSION, Corrector.LANGEVIN, 0.16, 1)
                : new PredictorCorrectorConfig(Predictor.EULER_MARUYAMA, Corrector.NONE, 0.16, 1);
    }
}
