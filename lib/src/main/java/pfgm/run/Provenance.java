package pfgm.run;

import ai.djl.Device;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import pfgm.config.Preset;
import pfgm.train.Checkpoint;
import pfgm.util.CodeVersion;
import pfgm.util.Devices;
import pfgm.util.Threads;

/**
 * What a row of numbers needs to be redone, as the columns every results CSV carries ({@link #COLUMNS}):
 * the code that made the row; the run it scored (its directory, a hash of its training settings, the
 * steps trained, which code trained them, the training seed); how it was sampled (sampler, the
 * settings sampling read, seed, n, batch, NFE); the feature network by name and weights hash; and the
 * machine (device with its processor, threads), the wall time and the date. A value not set is empty.
 *
 * <pre>{@code
 * Map<String, Object> row = Provenance.here(device).run(run).sampling(settings, seed, n, batch, nfe)
 *         .features(network.identity()).seconds(elapsed).columns();
 * }</pre>
 */
public final class Provenance {
    public static final List<String> COLUMNS = List.of("code", "run", "run_settings", "train_steps", "trained_by", "train_seed",
            "sampler", "sampler_settings", "sample_seed", "n", "batch_size", "nfe", "features", "device", "threads", "seconds",
            "time");
    /** The columns that hold numbers; the others hold text. */
    public static final java.util.Set<String> NUMBERS = java.util.Set.of("train_steps", "train_seed", "sample_seed", "n",
            "batch_size", "nfe", "threads", "seconds");
    private final Map<String, Object> values = new LinkedHashMap<>();

    private Provenance() {}

    /** The code, device and threads of this process, and the time. */
    public static Provenance here(Device device) {
        Provenance p = new Provenance();
        p.values.put("code", CodeVersion.current().id());
        p.values.put("device", Devices.describe(device));
        p.values.put("threads", Threads.current());
        p.values.put("time", LocalDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString());
        return p;
    }

    /** The run scored: its directory, settings hash, steps, who trained them, its seed. */
    public Provenance run(Run run) {
        Checkpoint.Meta history = run.trainer().history();
        values.put("run", run.workdir().getFileName().toString());
        values.put("run_settings", Runs.hash(run.directory().fingerprint().text()));
        values.put("train_steps", run.trainer().step());
        values.put("trained_by", history.history());
        values.put("train_seed", run.preset().train().seed());
        return this;
    }

    /** How the samples were drawn. */
    public Provenance sampling(Preset settings, long seed, int n, int batchSize, int nfe) {
        values.put("sampler", settings.sampling().label());
        values.put("sampler_settings", Fingerprint.samplingSettings(settings));
        values.put("sample_seed", seed);
        values.put("n", n);
        values.put("batch_size", batchSize);
        values.put("nfe", nfe);
        return this;
    }

    /** n samples read from a file, not drawn. */
    public Provenance samples(int n) {
        values.put("n", n);
        return this;
    }

    /** The feature network, as its identity prints ("mnist-classifier@3f09c2d1a7b4"). */
    public Provenance features(Object identity) {
        values.put("features", identity.toString());
        return this;
    }

    public Provenance seconds(double seconds) {
        values.put("seconds", seconds);
        return this;
    }

    /** The columns in {@link #COLUMNS}' order; numbers stay numbers, a value not set is "". */
    public Map<String, Object> columns() {
        Map<String, Object> out = new LinkedHashMap<>();
        COLUMNS.forEach(c -> out.put(c, values.getOrDefault(c, "")));
        return out;
    }
}
