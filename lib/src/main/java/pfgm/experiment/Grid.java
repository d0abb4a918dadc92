package pfgm.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import pfgm.config.Preset;
import pfgm.config.Settings;

/**
 * The settings an ablation varies: axes of preset keys ({@code method}, {@code network.kind},
 * {@code train.steps}, {@code pfgmpp.D}, ...) with their values, and the cells of their product,
 * first axis slowest. The pseudo-key {@code sampler} takes a solver with its steps, as tables
 * print them: {@code euler-10}, {@code heun-18}, {@code pc-1000}, {@code rk45}; {@code sample.seed} the
 * sampling seed.
 */
public final class Grid {
    public static final String SAMPLER = "sampler";
    /** The pseudo-key of the sampling seed (the training seed is the setting train.seed). */
    public static final String SEED = "sample.seed";
    /** Keys that are no preset settings: a run does not depend on them. */
    public static final java.util.Set<String> PSEUDO_KEYS = java.util.Set.of(SAMPLER, SEED);
    private final Map<String, List<String>> axes = new LinkedHashMap<>();

    /** Adds an axis; a key may appear once. */
    public Grid vary(String key, List<String> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("--vary " + key + " needs at least one value");
        }
        if (axes.putIfAbsent(key.strip(), List.copyOf(values)) != null) {
            throw new IllegalArgumentException("'" + key + "' is varied twice");
        }
        return this;
    }

    /** Parses "key=v1,v2,..." (the CLI's --vary). */
    public Grid vary(String assignment) {
        int eq = assignment.indexOf('=');
        if (eq < 1) {
            throw new IllegalArgumentException("--vary takes key=value1,value2,..., got '" + assignment + "'");
        }
        List<String> values = new ArrayList<>();
        for (String v : assignment.substring(eq + 1).split(",")) {
            values.add(v.strip());
        }
        return vary(assignment.substring(0, eq), values);
    }

    public List<String> keys() {
        return List.copyOf(axes.keySet());
    }

    /** Every combination of values, each as key -> value in axis order. */
    public List<Map<String, String>> cells() {
        List<Map<String, String>> cells = new ArrayList<>();
        cells.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<String>> axis : axes.entrySet()) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> cell : cells) {
                for (String value : axis.getValue()) {
                    Map<String, String> extended = new LinkedHashMap<>(cell);
                    extended.put(axis.getKey(), value);
                    next.add(extended);
                }
            }
            cells = next;
        }
        return cells;
    }

    /** {@code preset} with a cell's (or any) settings applied, the sampler pseudo-key included (the seed is no setting). */
    public static Preset apply(Preset preset, Map<String, String> settings) {
        Preset result = preset;
        for (Map.Entry<String, String> s : settings.entrySet()) {
            if (s.getKey().equals(SAMPLER)) {
                result = result.withSampler(s.getValue());
            } else if (!s.getKey().equals(SEED)) {
                result = Settings.with(result, s.getKey(), s.getValue());
            }
        }
        return result;
    }
}
