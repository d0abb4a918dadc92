package pfgm.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.Gson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import pfgm.io.NumPy;

/**
 * Everything a run needs to continue: weights, EMA weights, Adam moments and counters, the step,
 * and a fingerprint of the settings. One .npz file (numpy can open it), written atomically, so a
 * run killed at any moment leaves the previous checkpoint intact.
 *
 * @param step steps completed
 * @param fingerprint the settings the run was started with; a resumed run must match them
 * @param arrays "model/NAME", "ema/NAME", "adam/m/NAME", "adam/v/NAME"
 */
public record Checkpoint(long step, long adamUpdates, long emaUpdates, String fingerprint, Map<String, NDArray> arrays) {
    public static final String FILE = "checkpoint.npz";
    private static final String META = "meta";

    private record Meta(long step, long adamUpdates, long emaUpdates, String fingerprint) {}

    public static Path path(Path workdir) {
        return workdir.resolve(FILE);
    }

    public void write(Path workdir) throws IOException {
        Map<String, NDArray> all = new LinkedHashMap<>(arrays);
        byte[] meta = new Gson().toJson(new Meta(step, adamUpdates, emaUpdates, fingerprint)).getBytes(StandardCharsets.UTF_8);
        try (NDManager scratch = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            all.put(META, scratch.create(java.nio.ByteBuffer.wrap(meta), new Shape(meta.length), ai.djl.ndarray.types.DataType.UINT8));
            NumPy.writeAll(path(workdir), all);
        }
    }

    /** The checkpoint in {@code workdir}, or null when there is none. */
    public static Checkpoint readIfPresent(Path workdir, NDManager manager) {
        Path file = path(workdir);
        if (!Files.exists(file)) {
            return null;
        }
        Map<String, NDArray> arrays;
        try {
            arrays = NumPy.readAll(manager, file);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("checkpoint " + file + " is corrupt (" + e.getMessage()
                    + "); move it away to start over, or restore a backup", e);
        }
        NDArray metaBytes = arrays.remove(META);
        if (metaBytes == null) {
            // meta is written last, so a truncated file loses it first.
            throw new IllegalArgumentException("checkpoint " + file + " is corrupt or truncated (no meta entry); "
                    + "move it away to start over, or restore a backup");
        }
        Meta meta = new Gson().fromJson(new String(metaBytes.toByteArray(), StandardCharsets.UTF_8), Meta.class);
        return new Checkpoint(meta.step(), meta.adamUpdates(), meta.emaUpdates(), meta.fingerprint(), arrays);
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
