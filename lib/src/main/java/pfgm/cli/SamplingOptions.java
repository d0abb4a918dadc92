package pfgm.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import pfgm.config.Records;
import pfgm.train.Run;
import picocli.CommandLine.Option;

/** The sampler options of the commands that sample: each given one overrides the preset's setting. */
final class SamplingOptions {
    @Option(names = "--solver", description = "euler, heun, rk45, or pc (predictor-corrector, diffusion SDEs only) "
            + "(default: the preset's).")
    String solver;

    @Option(names = "--steps", description = "Steps of euler, heun and pc on the method's time grid: uniform in log z "
            + "for PFGM, in t for the SDEs, EDM's schedule for PFGM++ (default: the preset's).")
    Integer steps;

    @Option(names = "--rtol", description = "RK45 relative tolerance (default: the preset's; 1e-4 for PFGM).")
    Double rtol;

    @Option(names = "--atol", description = "RK45 absolute tolerance (default: the preset's; 1e-4 for PFGM).")
    Double atol;

    @Option(names = "--z-max", description = "PFGM: prior plane height (default: the run's preset, or from the data's norm).")
    Double zMax;

    @Option(names = "--upper-norm", description = "PFGM: prior radius clip (default: the run's preset, or from the data's norm).")
    Double upperNorm;

    @Option(names = "--z-min", description = "PFGM: where the flow stops (default: the preset's, 1e-3).")
    Double zMin;

    @Option(names = "--z-exp", description = "PFGM: below this z, v_z is inferred from ||v_x|| (appendix B.2.3); 0 = off "
            + "(default: the preset's, 5).")
    Double zExp;

    @Option(names = "--set", description = "Any other sampling or method setting, e.g. --set sampling.snr=0.1 "
            + "--set pfgmpp.rho=5 (repeatable; see 'pfgm presets NAME').")
    List<String> assignments = new ArrayList<>();

    @Option(names = "--seed", defaultValue = "0", description = "Random seed of the prior samples (default: ${DEFAULT-VALUE}).")
    long seed;

    /**
     * {@code settings} (a preset, or any record with {@code sampling} and {@code pfgm} components)
     * with the options given applied.
     */
    <R extends Record> R apply(R settings) {
        Map<String, String> overrides = Run.overrides(assignments);
        putIfGiven(overrides, "sampling.solver", solver);
        putIfGiven(overrides, "sampling.steps", steps);
        putIfGiven(overrides, "sampling.rtol", rtol);
        putIfGiven(overrides, "sampling.atol", atol);
        putIfGiven(overrides, "pfgm.zMax", zMax);
        putIfGiven(overrides, "pfgm.upperNorm", upperNorm);
        putIfGiven(overrides, "pfgm.zMin", zMin);
        putIfGiven(overrides, "pfgm.zExp", zExp);
        R result = settings;
        for (Map.Entry<String, String> o : overrides.entrySet()) {
            result = Records.with(result, o.getKey(), o.getValue());
        }
        return result;
    }

    private static void putIfGiven(Map<String, String> overrides, String key, Object value) {
        if (value != null) {
            overrides.put(key, value.toString());
        }
    }
}
