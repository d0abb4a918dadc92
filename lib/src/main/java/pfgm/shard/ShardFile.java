package pfgm.shard;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import pfgm.eval.FeatureMoments;
import pfgm.eval.FeatureSet;
import pfgm.io.NumPy;

/**
 * A shard on disk: one .npz (written atomically, so a killed task leaves no half shard) named by
 * its batch range, {@code batches-FIRST-LAST.npz}, so a listing sorts in seed order. Arrays:
 * {@code meta} (the draw and range as UTF-8 properties text, int8), {@code nfe} (per batch),
 * {@code feature_mean} (d) and {@code feature_scatter} (d, d, the centred sum of outer products) in float64, {@code features} (m, d),
 * {@code probabilities} (m, K) when the network gives them, and {@code samples} (m, N) centred
 * float32. Features and probabilities are stored as float32 when that loses nothing (the networks
 * compute features in float32: half the size of Inception's 2048-d rows), else as float64.
 */
public final class ShardFile {
    private static final Pattern NAME = Pattern.compile("batches-(\\d+)-(\\d+)\\.npz");
    private static final Set<String> MOMENTS = Set.of("meta", "nfe", "feature_mean", "feature_scatter");

    private ShardFile() {}

    /** The file name of a range: batches-00000010-00000019.npz for batches 10 to 19. */
    public static String name(BatchRange range) {
        return String.format("batches-%08d-%08d.npz", range.first(), range.end() - 1);
    }

    /** The shard files of a folder (by name; other files are not shards), in seed order. */
    public static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("shard folder " + dir + " does not exist");
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> NAME.matcher(f.getFileName().toString()).matches()).sorted().toList();
        }
    }

    public static Path save(Shard shard, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(name(shard.range()));
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) { // cpu: arrays made from Java values, for a file
            Map<String, NDArray> arrays = new LinkedHashMap<>();
            arrays.put("meta", manager.create(meta(shard).getBytes(StandardCharsets.UTF_8)));
            arrays.put("nfe", manager.create(java.util.Arrays.stream(shard.batchNfe()).asLongStream().toArray()));
            int d = shard.moments().dim();
            arrays.put("feature_mean", manager.create(shard.moments().mean()));
            arrays.put("feature_scatter", manager.create(shard.moments().scatter(), new Shape(d, d)));
            arrays.put("features", rows(manager, shard.features().features()));
            if (shard.features().probabilities() != null) {
                arrays.put("probabilities", rows(manager, shard.features().probabilities()));
            }
            float[][] samples = shard.samples();
            float[] flat = new float[samples.length * samples[0].length];
            for (int i = 0; i < samples.length; i++) {
                System.arraycopy(samples[i], 0, flat, i * samples[i].length, samples[i].length);
            }
            arrays.put("samples", manager.create(flat, new Shape(samples.length, samples[0].length)));
            NumPy.writeAll(file, arrays);
        }
        return file;
    }

    private static String meta(Shard shard) {
        return shard.draw().toText() + "first=" + shard.range().first() + "\nend=" + shard.range().end()
                + "\nlayout=" + shard.layout() + "\n";
    }

    /** Rows as float32 when every value survives the round trip, else float64. */
    private static NDArray rows(NDManager manager, double[][] rows) {
        int d = rows[0].length;
        boolean float32 = true;
        double[] flat = new double[rows.length * d];
        for (int i = 0; i < rows.length; i++) {
            for (int k = 0; k < d; k++) {
                flat[i * d + k] = rows[i][k];
                float32 &= (double) (float) rows[i][k] == rows[i][k];
            }
        }
        NDArray array = manager.create(flat, new Shape(rows.length, d));
        return float32 ? array.toType(DataType.FLOAT32, false) : array;
    }

    /** Reads a shard with its features (for IS, KID, precision/recall) or without (FID alone), never its samples. */
    public static Shard load(Path file, boolean withFeatures) {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) { // cpu: a file read into Java values
            Set<String> wanted = new java.util.HashSet<>(MOMENTS);
            if (withFeatures) {
                wanted.addAll(Set.of("features", "probabilities"));
            }
            Map<String, NDArray> arrays = NumPy.readSome(manager, file, wanted);
            for (String name : MOMENTS) {
                if (!arrays.containsKey(name)) {
                    throw new IllegalArgumentException(file + " lacks the array '" + name + "': not a shard file, or a "
                            + "damaged one; draw that shard again");
                }
            }
            Properties meta = new Properties();
            String text = new String(arrays.get("meta").toByteArray(), StandardCharsets.UTF_8);
            meta.load(new java.io.StringReader(text));
            Draw draw = Draw.fromText(text, file.toString());
            BatchRange range = new BatchRange(draw.n(), draw.batchSize(), Integer.parseInt(meta.getProperty("first")),
                    Integer.parseInt(meta.getProperty("end")));
            Matcher name = NAME.matcher(file.getFileName().toString());
            if (!name.matches() || Integer.parseInt(name.group(1)) != range.first() || Integer.parseInt(name.group(2)) != range.end() - 1) {
                throw new IllegalArgumentException(file + " holds " + range + " but is named otherwise; give it back its name "
                        + name(range));
            }
            int[] nfe = java.util.Arrays.stream(arrays.get("nfe").toLongArray()).mapToInt(Math::toIntExact).toArray();
            FeatureMoments moments = new FeatureMoments(range.size(), arrays.get("feature_mean").toDoubleArray(),
                    arrays.get("feature_scatter").toDoubleArray());
            FeatureSet features = null;
            if (withFeatures) {
                if (!arrays.containsKey("features")) {
                    throw new IllegalArgumentException(file + " lacks the array 'features'; draw that shard again");
                }
                features = new FeatureSet(matrix(arrays.get("features")),
                        arrays.containsKey("probabilities") ? matrix(arrays.get("probabilities")) : null);
            }
            return new Shard(draw, range, meta.getProperty("layout", ""), nfe, moments, features, null);
        } catch (IOException | RuntimeException e) {
            throw e instanceof IllegalArgumentException iae ? iae
                    : new IllegalArgumentException(file + " is not a readable shard file (" + e + "); draw that shard again", e);
        }
    }

    /** The samples of a shard file (m, N), centred floats as pfgm sample writes them. */
    public static float[][] samples(Path file) {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) { // cpu: a file read into Java values
            NDArray samples = NumPy.readSome(manager, file, Set.of("samples")).get("samples");
            if (samples == null) {
                throw new IllegalArgumentException(file + " holds no samples");
            }
            int m = Math.toIntExact(samples.getShape().get(0));
            int dim = Math.toIntExact(samples.getShape().get(1));
            float[] flat = samples.toFloatArray();
            float[][] rows = new float[m][];
            for (int i = 0; i < m; i++) {
                rows[i] = java.util.Arrays.copyOfRange(flat, i * dim, (i + 1) * dim);
            }
            return rows;
        }
    }

    private static double[][] matrix(NDArray array) {
        int m = Math.toIntExact(array.getShape().get(0));
        int d = Math.toIntExact(array.getShape().get(1));
        double[] flat = array.toType(DataType.FLOAT64, false).toDoubleArray();
        double[][] rows = new double[m][];
        for (int i = 0; i < m; i++) {
            rows[i] = java.util.Arrays.copyOfRange(flat, i * d, (i + 1) * d);
        }
        return rows;
    }
}
