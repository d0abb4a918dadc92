package pfgm.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import pfgm.config.Preset;
import pfgm.config.Settings;
import pfgm.io.AtomicFiles;
import pfgm.train.Checkpoint;

/**
 * A run's work directory: its settings (run.properties: the preset and overrides it was made with;
 * preset.txt: every setting they resolve to), its checkpoint, metrics.csv and sample grids. This is
 * the one place that decides whether a directory may be trained, resumed or sampled under given
 * settings: what a run learns is its {@link Fingerprint}, stored in its checkpoint, and a
 * directory whose checkpoint was written under another one is refused with the settings that
 * differ.
 */
public final class RunDirectory {
    public static final String SETTINGS = "run.properties";
    public static final String DESCRIPTION = "preset.txt";
    private final Path path;
    private final RunSettings settings;
    private final Preset preset;

    private RunDirectory(Path path, RunSettings settings) {
        this.path = path;
        this.settings = settings;
        this.preset = settings.resolve();
    }

    /**
     * The directory {@code path} for training under {@code settings}: new or empty, or holding a
     * checkpoint of the same training settings (it resumes; steps and intervals may differ).
     * Writes run.properties and preset.txt.
     *
     * @throws IllegalArgumentException when its checkpoint was written under other settings
     */
    public static RunDirectory forTraining(Path path, RunSettings settings) throws IOException {
        RunDirectory directory = new RunDirectory(path, settings);
        Checkpoint.Meta meta = Checkpoint.readMetaIfPresent(path);
        if (meta != null) {
            directory.requireTrainedAs(new Fingerprint(meta.settings()));
        }
        directory.writeSettings();
        return directory;
    }

    /**
     * A new directory for a run whose checkpoint the caller writes (an import), after
     * {@link #writeSettings}: nothing is written here, so a failed import leaves no half run.
     *
     * @throws IllegalArgumentException when {@code path} holds a checkpoint already
     */
    public static RunDirectory create(Path path, RunSettings settings) {
        if (Files.exists(Checkpoint.path(path))) {
            throw new IllegalArgumentException(path + " already holds a run (" + Checkpoint.FILE + "); use a new --workdir");
        }
        return new RunDirectory(path, settings);
    }

    /** The run in {@code path}, with the settings it was made with (for sampling, evaluation, resuming). */
    public static RunDirectory existing(Path path) throws IOException {
        Path file = path.resolve(SETTINGS);
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(path + " holds no run (no " + SETTINGS + "); train one with pfgm train");
        }
        return new RunDirectory(path, RunSettings.read(file));
    }

    /** Writes run.properties and preset.txt (the settings it was made with, and every setting they resolve to). */
    public void writeSettings() throws IOException {
        Files.createDirectories(path);
        AtomicFiles.write(path.resolve(SETTINGS), out -> out.write(settings.properties().getBytes(StandardCharsets.UTF_8)));
        String description = "# preset " + settings + "\n" + Settings.describe(preset);
        AtomicFiles.write(path.resolve(DESCRIPTION), out -> out.write(description.getBytes(StandardCharsets.UTF_8)));
    }

    /** Refuses to continue a run trained under {@code trained} with this directory's settings. */
    private void requireTrainedAs(Fingerprint trained) {
        Fingerprint now = fingerprint();
        List<String> differences = trained.differences(now);
        if (differences.isEmpty()) {
            return;
        }
        if (!now.method().equals(trained.method())) {
            throw new IllegalArgumentException("the checkpoint in " + path + " was trained with method " + trained.method()
                    + ", not " + now.method() + "; use a new --workdir, or the preset of that run");
        }
        throw new IllegalArgumentException("the checkpoint in " + path + " was written with other settings ("
                + String.join(", ", differences) + "); use a new --workdir, or the settings of that run");
    }

    /**
     * Refuses sampling settings that change what the run learned (its method, network, data,
     * training settings): the network would be fed inputs it never saw.
     */
    public void requireSameTraining(Preset sampling) {
        Fingerprint trained = fingerprint();
        Fingerprint asked = Fingerprint.of(sampling);
        if (!asked.method().equals(trained.method())) {
            throw new IllegalArgumentException("run " + path + " was trained with method " + trained.method()
                    + "; sampling cannot switch it to " + asked.method() + " (train a run of that method)");
        }
        List<String> differences = trained.differences(asked);
        if (!differences.isEmpty()) {
            throw new IllegalArgumentException("run " + path + " was trained with other values (" + String.join(", ", differences)
                    + "); sampling can change only the settings sampling reads (sampling.*, and the method's sampling "
                    + "range such as pfgm.zMax or sde.sampleEps); train a new run for the others");
        }
    }

    /**
     * Moves the checkpoint and the metrics aside, into replaced/TIME/, so that the run trains anew
     * (when its steps were trained by other code); returns where they went.
     */
    public Path setAside() throws IOException {
        Path aside = path.resolve("replaced").resolve(java.time.LocalDateTime.now().toString().replace(':', '-'));
        Files.createDirectories(aside);
        for (String name : new String[] {Checkpoint.FILE, "metrics.csv"}) {
            if (Files.exists(path.resolve(name))) {
                Files.move(path.resolve(name), aside.resolve(name));
            }
        }
        return aside;
    }

    public Path path() {
        return path;
    }

    public RunSettings settings() {
        return settings;
    }

    /** The resolved settings. */
    public Preset preset() {
        return preset;
    }

    public Fingerprint fingerprint() {
        return Fingerprint.of(preset);
    }

    /** Where the run's sample grids go. */
    public Path samples() {
        return path.resolve("samples");
    }

    /** The directory's settings, as the user gave them: "mnist_small --set train.steps=300". */
    @Override
    public String toString() {
        return path + " (" + settings + ")";
    }
}
