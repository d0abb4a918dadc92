package pfgm.experiment;

import ai.djl.Device;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import pfgm.config.Preset;
import pfgm.config.Presets;
import pfgm.train.Run;

/**
 * Training runs kept in one folder and found by what they learn: a run's directory is named from
 * its preset, the settings that change its training, and a hash of the full training settings
 * (fingerprint and steps). Notebooks and ablation grids that ask for the same training share one
 * run, a stopped one resumes, and a preset whose defaults changed gets a new directory instead of
 * a refusal.
 */
public final class Runs {
    /** Environment variable naming the folder; default results/runs. */
    public static final String VARIABLE = "PFGM_RUNS";

    private Runs() {}

    public static Path root() {
        String configured = System.getenv(VARIABLE);
        return configured == null || configured.isBlank() ? Path.of("results", "runs") : Path.of(configured);
    }

    /** Opens (training or resuming when asked to train) the run of a preset with overrides, in {@link #root()}. */
    public static Run open(String preset, Map<String, String> overrides, Device device) throws IOException {
        return Run.open(preset, overrides, directory(root(), preset, overrides), device);
    }

    /** The directory of the run a preset with overrides trains, under {@code root}. */
    public static Path directory(Path root, String preset, Map<String, String> overrides) {
        Preset named = Presets.named(preset);
        Preset full = Grid.apply(named, overrides);
        StringBuilder name = new StringBuilder(preset);
        new TreeMap<>(overrides).forEach((key, value) -> {
            Preset changed = Grid.apply(named, Map.of(key, value));
            if (!changed.fingerprint().equals(named.fingerprint()) || changed.train().steps() != named.train().steps()) {
                name.append("__").append(key).append('=').append(value);
            }
        });
        String readable = name.toString().replaceAll("[^A-Za-z0-9._=-]", "_");
        if (readable.length() > 100) {
            readable = readable.substring(0, 100);
        }
        return root.resolve(readable + "__" + hash(full.fingerprint() + ";steps=" + full.train().steps()));
    }

    static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
