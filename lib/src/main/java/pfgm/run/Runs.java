package pfgm.run;

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
import pfgm.util.Devices;

/**
 * Training runs kept in one folder and found by what they learn: a run's directory is named from
 * its preset, the settings that change its training, and a hash of its {@link Fingerprint} and
 * steps. Notebooks and ablation grids that ask for the same training share one run, a stopped one
 * resumes, and a preset whose defaults changed gets a new directory instead of a refusal.
 */
public final class Runs {
    /** Environment variable naming the folder; default results/runs. */
    public static final String VARIABLE = "PFGM_RUNS";

    private Runs() {}

    public static Path root() {
        String configured = System.getenv(VARIABLE);
        return configured == null || configured.isBlank() ? Path.of("results", "runs") : Path.of(configured);
    }

    /**
     * Opens (training or resuming when asked to train) the run of a preset with overrides, in
     * {@link #root()}, on {@code device}, or data-parallel on the devices {@code PFGM_DEVICES}
     * lists when it is set ({@link Devices#forTraining}).
     */
    public static Run open(String preset, Map<String, String> overrides, Device device) throws IOException {
        RunSettings settings = new RunSettings(preset, overrides);
        return Run.open(settings, directory(root(), settings), Devices.forTraining(device));
    }

    /** The directory of the run {@code settings} train, under {@code root}. */
    public static Path directory(Path root, RunSettings settings) {
        Preset named = RunSettings.of(settings.preset()).resolve();
        Fingerprint base = Fingerprint.of(named);
        StringBuilder name = new StringBuilder(settings.preset());
        new TreeMap<>(settings.overrides()).forEach((key, value) -> {
            Preset changed = new RunSettings(settings.preset(), Map.of(key, value)).resolve();
            if (!Fingerprint.of(changed).equals(base) || changed.train().steps() != named.train().steps()) {
                name.append("__").append(key).append('=').append(value);
            }
        });
        String readable = name.toString().replaceAll("[^A-Za-z0-9._=-]", "_");
        if (readable.length() > 100) {
            readable = readable.substring(0, 100);
        }
        Preset full = settings.resolve();
        return root.resolve(readable + "__" + hash(Fingerprint.of(full).text() + ";steps=" + full.train().steps()));
    }

    /** The first 10 hex digits of the text's SHA-256. */
    public static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
