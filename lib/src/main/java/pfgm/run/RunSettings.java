package pfgm.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import pfgm.config.Preset;
import pfgm.config.Presets;
import pfgm.config.Settings;

/**
 * A preset named with its overrides, as {@code --preset NAME --set key=value ...} says it: what a
 * run is made from, and what its run.properties holds ("preset=NAME", then "set.KEY=VALUE" lines).
 *
 * @param preset the preset's name
 * @param overrides settings to change, applied in order
 */
public record RunSettings(String preset, Map<String, String> overrides) {
    public RunSettings {
        Presets.named(preset); // an unknown name fails here, with the list of presets
        overrides = Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
    }

    public static RunSettings of(String preset) {
        return new RunSettings(preset, Map.of());
    }

    /** The preset with the overrides applied. */
    public Preset resolve() {
        return Settings.apply(Presets.named(preset), overrides);
    }

    /** These settings with one more override (a later one replaces an earlier one of the same key). */
    public RunSettings with(String key, String value) {
        Map<String, String> more = new LinkedHashMap<>(overrides);
        more.remove(key);
        more.put(key, value);
        return new RunSettings(preset, more);
    }

    /** The run.properties text. */
    String properties() {
        StringBuilder text = new StringBuilder("preset=" + preset + "\n");
        overrides.forEach((k, v) -> text.append("set.").append(k).append('=').append(v).append('\n'));
        return text.toString();
    }

    /** Reads a run.properties file. */
    static RunSettings read(Path file) throws IOException {
        String name = null;
        Map<String, String> overrides = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(file);
        for (String line : lines) {
            if (line.startsWith("preset=")) {
                name = line.substring("preset=".length());
            } else if (line.startsWith("set.")) {
                int eq = line.indexOf('=');
                overrides.put(line.substring(4, eq), line.substring(eq + 1));
            }
        }
        if (name == null) {
            throw new IllegalArgumentException(file + " names no preset (no 'preset=' line); it is not a run's settings file");
        }
        return new RunSettings(name, overrides);
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(preset);
        overrides.forEach((k, v) -> out.append(" --set ").append(k).append('=').append(v));
        return out.toString();
    }
}
