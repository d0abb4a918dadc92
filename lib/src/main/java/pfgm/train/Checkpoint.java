package pfgm.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.Gson;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import pfgm.io.NumPy;
import pfgm.util.CodeVersion;

/**
 * Everything a run needs to continue: weights, EMA weights, Adam moments and counters, the step,
 * and the settings that define what the run learns. One .npz file (numpy can open it), written
 * atomically, so a run killed at any moment leaves the previous checkpoint intact.
 *
 * @param meta the step, counters and settings
 * @param arrays "model/NAME", "ema/NAME", "adam/m/NAME", "adam/v/NAME"
 */
public record Checkpoint(Meta meta, Map<String, NDArray> arrays) {
    public static final String FILE = "checkpoint.npz";
    private static final String META = "meta";
    private static final String WRAPPER = "01inner_";

    /**
     * The checkpoint's small facts, stored as JSON in its "meta" entry.
     *
     * @param step steps completed
     * @param adamUpdates Adam's step count
     * @param emaUpdates the EMA's update count
     * @param settings the settings that define what the run learns (setting -> value); a resumed run must match them
     * @param trainedBy which code trained which steps, in order (empty for checkpoints written before it was kept)
     */
    public record Meta(long step, long adamUpdates, long emaUpdates, Map<String, String> settings, List<Segment> trainedBy) {
        public Meta {
            trainedBy = List.copyOf(trainedBy);
        }

        /** These facts after training up to {@code newStep} with {@code code}: the last segment grows, or a new one starts. */
        public Meta trainedTo(long newStep, long adam, long ema, CodeVersion code) {
            List<Segment> history = new ArrayList<>(trainedBy);
            Segment last = history.isEmpty() ? null : history.get(history.size() - 1);
            if (last != null && last.sources().equals(code.sources()) && last.to() == step) {
                history.set(history.size() - 1, new Segment(last.code(), last.sources(), last.from(), newStep));
            } else if (newStep > step) {
                history.add(new Segment(code.id(), code.sources(), step, newStep));
            }
            return new Meta(newStep, adam, ema, settings, history);
        }

        /** "64330e9ab12c 0-300, official 0-1300000": who trained which steps; "unknown 0-N" before that was kept. */
        public String history() {
            if (trainedBy.isEmpty()) {
                return step == 0 ? "" : "unknown 0-" + step;
            }
            List<String> parts = new ArrayList<>();
            trainedBy.forEach(s -> parts.add(s.code() + " " + s.from() + "-" + s.to()));
            return String.join(", ", parts);
        }

        /** Whether steps of the run were trained by other code than {@code code} (or by code nobody recorded). */
        public boolean trainedByOtherCode(CodeVersion code) {
            return step > 0 && (trainedBy.isEmpty() || trainedBy.stream().anyMatch(s -> !s.sources().equals(code.sources())));
        }
    }

    /**
     * Steps [from, to) of a run, trained by one code version.
     *
     * @param code what rows show of it ({@link CodeVersion#id}), or where the weights came from ("official")
     * @param sources the SHA-256 of that code's sources (empty for weights from elsewhere)
     */
    public record Segment(String code, String sources, long from, long to) {}

    /** As checkpoints were stored: the first layout held the settings as one "name = value;..." text. */
    private record StoredMeta(long step, long adamUpdates, long emaUpdates, Map<String, String> settings, String fingerprint,
            List<Segment> trainedBy) {
        Meta meta() {
            return new Meta(step, adamUpdates, emaUpdates, settings != null ? settings : parseFingerprint(fingerprint),
                    trainedBy == null ? List.of() : trainedBy);
        }
    }

    public static Path path(Path workdir) {
        return workdir.resolve(FILE);
    }

    public long step() {
        return meta.step();
    }

    public void write(Path workdir) throws IOException {
        Map<String, NDArray> all = new LinkedHashMap<>(arrays);
        byte[] json = new Gson().toJson(meta).getBytes(StandardCharsets.UTF_8);
        try (NDManager scratch = NDManager.newBaseManager(ai.djl.Device.cpu())) { // cpu: bytes for the file
            // Written last, so that a truncated file loses it first.
            all.put(META, scratch.create(ByteBuffer.wrap(json), new Shape(json.length), DataType.UINT8));
            NumPy.writeAll(path(workdir), all);
        }
    }

    /** The checkpoint in {@code workdir} with all its arrays, or null when there is none. */
    public static Checkpoint readIfPresent(Path workdir, NDManager manager) {
        Path file = path(workdir);
        if (!Files.exists(file)) {
            return null;
        }
        Map<String, NDArray> arrays;
        try {
            arrays = NumPy.readAll(manager, file);
        } catch (IllegalArgumentException e) {
            throw corrupt(file, e.getMessage(), e);
        }
        NDArray metaBytes = arrays.remove(META);
        if (metaBytes == null) {
            throw corrupt(file, "no meta entry", null);
        }
        return new Checkpoint(decode(metaBytes), unwrapped(arrays));
    }

    /**
     * The network's weights under the network's own names. PFGM's point-charge preconditioning
     * (toy2d) was once a block around the network, and checkpoints of that time name every weight
     * under the wrapper's child, "01inner_"; it is now applied to the network's output instead.
     */
    private static Map<String, NDArray> unwrapped(Map<String, NDArray> arrays) {
        boolean wrapped = arrays.keySet().stream().filter(k -> k.startsWith("model/")).allMatch(k -> k.startsWith("model/" + WRAPPER));
        if (!wrapped || arrays.isEmpty()) {
            return arrays;
        }
        Map<String, NDArray> out = new LinkedHashMap<>();
        arrays.forEach((k, a) -> out.put(k.replace("/" + WRAPPER, "/"), a));
        return out;
    }

    /** Only the meta of the checkpoint in {@code workdir} (its weights stay on disk), or null when there is none. */
    public static Meta readMetaIfPresent(Path workdir) {
        Path file = path(workdir);
        if (!Files.exists(file)) {
            return null;
        }
        try (NDManager scratch = NDManager.newBaseManager(ai.djl.Device.cpu())) { // cpu: a file read into Java values
            NDArray metaBytes;
            try {
                metaBytes = NumPy.readSome(scratch, file, java.util.Set.of(META)).get(META);
            } catch (IllegalArgumentException e) {
                throw corrupt(file, e.getMessage(), e);
            }
            if (metaBytes == null) {
                throw corrupt(file, "no meta entry", null);
            }
            return decode(metaBytes);
        }
    }

    private static Meta decode(NDArray bytes) {
        return new Gson().fromJson(new String(bytes.toByteArray(), StandardCharsets.UTF_8), StoredMeta.class).meta();
    }

    private static IllegalArgumentException corrupt(Path file, String why, Exception cause) {
        return new IllegalArgumentException("checkpoint " + file + " is corrupt or truncated (" + why
                + "); move it away to start over, or restore a backup", cause);
    }

    /** "name = value;name = value;..." as settings, in order. */
    private static Map<String, String> parseFingerprint(String text) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String line : text.split(";")) {
            int eq = line.indexOf(" = ");
            if (eq > 0) {
                settings.put(line.substring(0, eq), line.substring(eq + 3));
            }
        }
        return settings;
    }

    /** The arrays under one prefix ("model/", "ema/", "adam/"), with the prefix removed. */
    public Map<String, NDArray> group(String prefix) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        arrays.forEach((k, a) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), a);
            }
        });
        return out;
    }
}
