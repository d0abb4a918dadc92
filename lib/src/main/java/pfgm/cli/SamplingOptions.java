package pfgm.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import pfgm.config.Settings;
import picocli.CommandLine.Mixin;
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

    /** Any other sampling setting, e.g. --set snr=0.1 --set pfgmpp.rho=5; what the run learned cannot change. */
    @Mixin
    SettingOptions settings;

    @Option(names = "--seed", defaultValue = "0", description = "Random seed of the prior samples (default: ${DEFAULT-VALUE}).")
    long seed;

    /**
     * {@code settings} (a preset, or any record with {@code sampling} and {@code pfgm} components)
     * with the options given applied.
     */
    <R extends Record> R apply(R record) {
        Map<String, String> overrides = new LinkedHashMap<>(settings.overrides());
        putIfGiven(overrides, "sampling.solver", solver);
        putIfGiven(overrides, "sampling.steps", steps);
        putIfGiven(overrides, "sampling.rk45.rtol", rtol);
        putIfGiven(overrides, "sampling.rk45.atol", atol);
        putIfGiven(overrides, "pfgm.zMax", zMax);
        putIfGiven(overrides, "pfgm.upperNorm", upperNorm);
        putIfGiven(overrides, "pfgm.zMin", zMin);
        putIfGiven(overrides, "pfgm.zExp", zExp);
        return Settings.apply(record, overrides);
    }

    private static void putIfGiven(Map<String, String> overrides, String key, Object value) {
        if (value != null) {
            overrides.put(key, value.toString());
        }
    }
}
