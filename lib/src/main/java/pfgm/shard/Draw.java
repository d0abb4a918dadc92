package pfgm.shard;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import pfgm.config.Preset;
import pfgm.config.Settings;
import pfgm.run.Run;
import pfgm.train.Checkpoint;

/**
 * Everything that, besides its batch range, fixes a shard's samples and features: the weights
 * (the checkpoint's SHA-256; the run's path and step are for people), every setting of the
 * sampling-time preset, the seed, the sample count and batch size (RK45 couples a batch), and the
 * feature network. Shards merge only when their draws are equal.
 *
 * @param run the run's work directory as the shard's command named it
 * @param settings the sampling-time preset, one "key = value" line per setting ({@link Records#describe})
 * @param sampler the sampler's label, such as euler-10 or rk45, for the results row
 * @param features the feature network as the commands name it (mnist, inception:PATH, ...)
 */
public record Draw(String run, long step, String checkpoint, String settings, String method, String sampler, long seed, int n,
        int batchSize, String features) {

    /** The draw of {@code n} samples of an open run with {@code settings}, scored under {@code features}. */
    public static Draw of(Run run, Preset settings, long seed, int n, int batchSize, String features) {
        return new Draw(run.workdir().toString(), run.trainer().step(), sha256(run.workdir().resolve(Checkpoint.FILE)),
                Settings.describe(settings), settings.method().toString(), settings.sampling().label(), seed, n, batchSize, features);
    }

    /** The hex SHA-256 of a file, or "none" for a run that has no checkpoint yet. */
    static String sha256(Path file) {
        if (!Files.exists(file)) {
            return "none";
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The draw as properties text (what a shard file carries). */
    public String toText() {
        Properties p = new Properties();
        fields().forEach((k, v) -> p.setProperty(k, v.toString()));
        StringWriter out = new StringWriter();
        try {
            p.store(out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Reads {@link #toText()}; {@code where} names the source in messages. */
    public static Draw fromText(String text, String where) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
            return new Draw(p.getProperty("run"), Long.parseLong(p.getProperty("step")), require(p, "checkpoint", where),
                    require(p, "settings", where), p.getProperty("method"), p.getProperty("sampler"),
                    Long.parseLong(p.getProperty("seed")), Integer.parseInt(p.getProperty("n")),
                    Integer.parseInt(p.getProperty("batchSize")), require(p, "features", where));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(where + " does not describe a draw (not a shard file, or written by another "
                    + "version of the kit): " + e.getMessage(), e);
        }
    }

    private static String require(Properties p, String key, String where) {
        String value = p.getProperty(key);
        if (value == null) {
            throw new IllegalArgumentException(where + " lacks '" + key + "'");
        }
        return value;
    }

    private Map<String, Object> fields() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("run", run);
        f.put("step", step);
        f.put("checkpoint", checkpoint);
        f.put("method", method);
        f.put("sampler", sampler);
        f.put("seed", seed);
        f.put("n", n);
        f.put("batchSize", batchSize);
        f.put("features", features);
        f.put("settings", settings);
        return f;
    }

    /**
     * How {@code other} differs, one phrase per difference ("seed 0 here, 1 there"; a setting
     * line by line), empty when the draws are the same. The run's path is not compared: the same
     * checkpoint may sit at different paths on different machines.
     */
    public List<String> differences(Draw other, String here, String there) {
        List<String> out = new ArrayList<>();
        Map<String, Object> mine = fields();
        Map<String, Object> theirs = other.fields();
        for (String key : mine.keySet()) {
            if (key.equals("run") || key.equals("settings") || mine.get(key).equals(theirs.get(key))) {
                continue;
            }
            out.add(key.equals("checkpoint") ? "the checkpoint (its SHA-256: another run, or the run trained further)"
                    : key + " " + mine.get(key) + " " + here + ", " + theirs.get(key) + " " + there);
        }
        List<String> a = Arrays.asList(settings.split("\n"));
        List<String> b = Arrays.asList(other.settings.split("\n"));
        a.stream().filter(line -> !b.contains(line)).forEach(line -> out.add("'" + line.strip() + "' " + here));
        b.stream().filter(line -> !a.contains(line)).forEach(line -> out.add("'" + line.strip() + "' " + there));
        return out;
    }
}
