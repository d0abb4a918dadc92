package pfgm.run;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import pfgm.config.MethodSettings;
import pfgm.config.Preset;
import pfgm.config.Settings;
import pfgm.method.SamplingSetting;

/**
 * The settings that define what a run learns, setting by setting: all of its preset's but the step
 * budget and the intervals (a resumed run may change those), the settings only sampling reads, and
 * the other methods' groups. Every checkpoint stores it; a run resumes, and is sampled, only under
 * the same fingerprint.
 *
 * @param settings setting -> value, in the preset's order
 */
public record Fingerprint(Map<String, String> settings) {
    /**
     * Settings added after runs had been made, with the value those runs had without saying so: a
     * setting at that value is left out, so that the older runs' fingerprints (and names) still match.
     */
    static final Map<String, String> IMPLICIT = Map.of("pfgm.preconditionScale", "0.0");

    public Fingerprint {
        settings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    public static Fingerprint of(Preset preset) {
        Record own = preset.method().settingsOf(preset);
        Preset training = preset.withTrain(preset.train().withoutSchedule());
        String lines = Settings.describe(training, c -> !c.isAnnotationPresent(SamplingSetting.class)
                && (!c.isAnnotationPresent(MethodSettings.class) || value(training, c) == own));
        Map<String, String> settings = new LinkedHashMap<>();
        for (String line : lines.split("\n")) {
            int eq = line.indexOf(" = ");
            String name = line.substring(0, eq);
            String value = line.substring(eq + 3);
            if (!value.equals(IMPLICIT.get(name))) {
                settings.put(name, value);
            }
        }
        return new Fingerprint(settings);
    }

    /**
     * What sampling reads besides the sampler's name and steps: RK45's tolerances or the
     * predictor-corrector's settings (whichever the solver uses), and the method's own sampling
     * settings (PFGM's z range and prior, the SDEs' end time, PFGM++'s schedule), as "name=value"
     * separated by spaces.
     */
    public static String samplingSettings(Preset preset) {
        Record own = preset.method().settings().apply(preset);
        String prefix = preset.sampling().solver() == pfgm.sampling.Solver.RK45 ? "sampling.rk45."
                : preset.sampling().solver() == pfgm.sampling.Solver.PC ? "sampling.pc." : null;
        List<String> out = new ArrayList<>();
        Fingerprint training = of(preset);
        for (String line : Settings.describe(preset, c -> !c.isAnnotationPresent(MethodSettings.class) || value(preset, c) == own)
                .split("\n")) {
            String name = line.substring(0, line.indexOf(" = "));
            boolean sampler = prefix != null && name.startsWith(prefix);
            boolean method = !name.startsWith("sampling.") && !name.startsWith("train.") && !training.settings.containsKey(name)
                    && !IMPLICIT.containsKey(name);
            if (sampler || method) {
                out.add(name + "=" + line.substring(line.indexOf(" = ") + 3));
            }
        }
        return String.join(" ", out);
    }

    private static Object value(Record record, RecordComponent component) {
        try {
            return component.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The method it names. */
    public String method() {
        return settings.get("method");
    }

    /** "name = value;" per setting: what runs are named by (Runs) and the first checkpoints stored. */
    public String text() {
        StringBuilder out = new StringBuilder();
        settings.forEach((k, v) -> out.append(k).append(" = ").append(v).append(';'));
        return out.toString();
    }

    /**
     * How {@code now} differs from this (a run's) fingerprint, one "setting: run's value -> now's"
     * per setting, in now's order. A setting only the run's fingerprint holds is no difference:
     * older runs stored settings that no longer define what is learnt (those only sampling reads,
     * the other methods').
     */
    public List<String> differences(Fingerprint now) {
        List<String> out = new ArrayList<>();
        now.settings.forEach((name, value) -> {
            String then = settings.getOrDefault(name, IMPLICIT.get(name));
            if (!value.equals(then)) {
                out.add(name + ": " + (then == null ? "(not set)" : then) + " -> " + value);
            }
        });
        return out;
    }
}
