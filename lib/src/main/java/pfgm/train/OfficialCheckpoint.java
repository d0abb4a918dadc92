package pfgm.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import pfgm.config.Preset;
import pfgm.config.Presets;
import pfgm.config.Records;
import pfgm.io.AtomicFiles;
import pfgm.io.NumPy;
import pfgm.nn.NetworkConfig;
import pfgm.nn.Networks;
import pfgm.nn.OfficialNames;

/**
 * A checkpoint of the official PFGM code (Newbeeer/Poisson_flow), as
 * environment/checkpoints/convert_official.py writes it: model/NAME and ema/NAME arrays under the
 * official parameter names, the step, the EMA's update count and, when the conversion was given
 * the config file, config/KEY settings. {@link #importRun} turns it into a work directory of the
 * kit (run.properties and checkpoint.npz) that sampling, evaluation and {@code Run.reopen} use like
 * any run's.
 *
 * @param file where it was read from (for messages)
 * @param step the official training step
 * @param emaUpdates the EMA's update count (the step when the file has none)
 * @param model model/ arrays by official name
 * @param ema ema/ arrays by official name
 * @param config config/ arrays by key (empty when converted without a config)
 */
public record OfficialCheckpoint(Path file, long step, long emaUpdates, Map<String, NDArray> model, Map<String, NDArray> ema,
        Map<String, NDArray> config) {
    /** The layout version convert_official.py writes. */
    public static final int FORMAT = 1;
    public static final String CONVERTER = "environment/checkpoints/convert_official.py";
    /** What an import writes beside the run's checkpoint: where the weights came from. */
    public static final String NOTE = "imported.txt";

    /** Reads a converted checkpoint; the arrays live in {@code manager}. */
    public static OfficialCheckpoint read(NDManager manager, Path file) {
        String name = file.getFileName().toString();
        if (name.endsWith(".pth") || name.endsWith(".pt")) {
            throw new IllegalArgumentException(file + " is a PyTorch checkpoint; convert it first on a machine with Python and "
                    + "torch: python3 " + CONVERTER + " " + file + " " + name.replaceFirst("\\.pth?$", "") + ".npz --config "
                    + "<the official config file>");
        }
        Map<String, NDArray> arrays;
        try {
            arrays = NumPy.readAll(manager, file);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + "; an official checkpoint must first be converted with "
                    + CONVERTER, e);
        }
        NDArray format = arrays.get("format");
        if (format == null || !arrays.containsKey("step")) {
            throw new IllegalArgumentException(file + " is not a converted official checkpoint (no 'format' and 'step' "
                    + "entries); convert the official .pth with " + CONVERTER);
        }
        if (integer(format) != FORMAT) {
            throw new IllegalArgumentException(file + " has format " + integer(format) + "; this kit reads format " + FORMAT
                    + " (convert again with this kit's " + CONVERTER + ")");
        }
        Map<String, NDArray> model = group(arrays, "model/");
        Map<String, NDArray> ema = group(arrays, "ema/");
        if (model.isEmpty() || ema.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no " + (model.isEmpty() ? "model/" : "ema/") + " weights; "
                    + "convert the official checkpoint again with " + CONVERTER);
        }
        long step = integer(arrays.get("step"));
        NDArray updates = arrays.get("ema_num_updates");
        return new OfficialCheckpoint(file, step, updates == null ? step : integer(updates), model, ema,
                group(arrays, "config/"));
    }

    private static Map<String, NDArray> group(Map<String, NDArray> arrays, String prefix) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        arrays.forEach((k, a) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), a);
            }
        });
        return out;
    }

    private static long integer(NDArray a) {
        return a.toType(DataType.INT64, false).toLongArray()[0];
    }

    /** Whether the conversion recorded the official config (then {@link #network()} can describe the network). */
    public boolean hasConfig() {
        return !config.isEmpty();
    }

    private NDArray setting(String key) {
        NDArray a = config.get(key);
        if (a == null) {
            throw new IllegalArgumentException(file + " has no config/" + key + "; convert it again with --config");
        }
        return a;
    }

    private String text(String key) {
        return new String(setting(key).toByteArray(), StandardCharsets.UTF_8);
    }

    private String text(String key, String otherwise) {
        return config.containsKey(key) ? text(key) : otherwise;
    }

    private boolean flag(String key) {
        return setting(key).toType(DataType.INT64, false).toLongArray()[0] != 0;
    }

    private boolean flag(String key, boolean otherwise) {
        return config.containsKey(key) ? flag(key) : otherwise;
    }

    private int[] integers(String key) {
        return Arrays.stream(setting(key).toType(DataType.INT64, false).toLongArray()).mapToInt(Math::toIntExact).toArray();
    }

    private double real(String key) {
        return setting(key).toType(DataType.FLOAT64, false).toDoubleArray()[0];
    }

    /**
     * The kit's description of the checkpoint's network, from its config: DDPM++ (BigGAN blocks, no
     * FIR, no progressive paths) or NCSN++ (FIR, progressive_input = 'residual').
     *
     * @throws IllegalArgumentException when the config describes a network the kit does not build
     */
    public NetworkConfig network() {
        if (!hasConfig()) {
            throw new IllegalArgumentException(file + " was converted without --config; its network is not described");
        }
        List<String> unsupported = new ArrayList<>();
        require(text("sde", "poisson").equals("poisson"), "training.sde = " + text("sde", ""), unsupported);
        require(text("resblock_type").equalsIgnoreCase("biggan"), "resblock_type = " + text("resblock_type"), unsupported);
        require(text("progressive").equalsIgnoreCase("none"), "progressive = " + text("progressive"), unsupported);
        require(flag("skip_rescale"), "skip_rescale = False", unsupported);
        require(flag("conditional", true), "conditional = False", unsupported);
        require(flag("centered", true), "data.centered = False (the kit feeds data in [-1, 1])", unsupported);
        require(!flag("scale_by_sigma", false), "scale_by_sigma = True", unsupported);
        require(text("nonlinearity", "swish").equalsIgnoreCase("swish"), "nonlinearity = " + text("nonlinearity", ""), unsupported);
        require(text("normalization", "GroupNorm").equals("GroupNorm"), "normalization = " + text("normalization", ""), unsupported);
        boolean fir = flag("fir");
        String pyramid = text("progressive_input").toLowerCase(java.util.Locale.ROOT);
        NetworkConfig.Kind kind = !fir && pyramid.equals("none") ? NetworkConfig.Kind.DDPMPP
                : fir && pyramid.equals("residual") ? NetworkConfig.Kind.NCSNPP : null;
        require(kind != null, "fir = " + (fir ? "True" : "False") + " with progressive_input = '" + pyramid
                + "' (the kit builds fir = False with 'none' (DDPM++) and fir = True with 'residual' (NCSN++))", unsupported);
        require(!fir || !config.containsKey("fir_kernel") || Arrays.equals(integers("fir_kernel"), new int[] {1, 3, 3, 1}),
                "fir_kernel = " + (config.containsKey("fir_kernel") ? Arrays.toString(integers("fir_kernel")) : ""), unsupported);
        String embedding = text("embedding_type").toLowerCase(java.util.Locale.ROOT);
        require(embedding.equals("positional") || embedding.equals("fourier"), "embedding_type = " + embedding, unsupported);
        if (!unsupported.isEmpty()) {
            throw new IllegalArgumentException(file + " holds a network the kit does not build: " + String.join(", ", unsupported));
        }
        int channels = Math.toIntExact(integer(config.containsKey("num_channels") ? setting("num_channels") : setting("channels")));
        return new NetworkConfig(kind, channels, Math.toIntExact(integer(setting("image_size"))), Math.toIntExact(integer(setting("nf"))),
                integers("ch_mult"), Math.toIntExact(integer(setting("num_res_blocks"))), integers("attn_resolutions"),
                config.containsKey("dropout") ? (float) real("dropout") : 0.1f,
                embedding.equals("fourier") ? NetworkConfig.Embedding.FOURIER : NetworkConfig.Embedding.POSITIONAL,
                config.containsKey("fourier_scale") ? (float) real("fourier_scale") : 16f);
    }

    private static void require(boolean condition, String what, List<String> unsupported) {
        if (!condition) {
            unsupported.add(what);
        }
    }

    /**
     * Checks that the network of the checkpoint's config is the one {@code kit} describes (dropout
     * and the Fourier scale do not change the network's output, the Fourier weights are loaded).
     * Without a config there is nothing to compare; the weights' names and shapes still are.
     */
    public void checkNetwork(NetworkConfig kit, String presetName) {
        if (!hasConfig()) {
            return;
        }
        NetworkConfig official = network();
        List<String> differences = new ArrayList<>();
        compare("kind", official.kind(), kit.kind(), differences);
        compare("channels", official.channels(), kit.channels(), differences);
        compare("imageSize", official.imageSize(), kit.imageSize(), differences);
        compare("nf", official.nf(), kit.nf(), differences);
        compare("chMult", Arrays.toString(official.chMult()), Arrays.toString(kit.chMult()), differences);
        compare("numResBlocks", official.numResBlocks(), kit.numResBlocks(), differences);
        compare("attnResolutions", Arrays.toString(official.attnResolutions()), Arrays.toString(kit.attnResolutions()), differences);
        compare("embedding", official.embedding(), kit.embedding(), differences);
        if (!differences.isEmpty()) {
            throw new IllegalArgumentException("the network of " + file + " differs from preset " + presetName + "'s: "
                    + String.join(", ", differences) + " (checkpoint vs preset); choose the preset of that config, "
                    + "or --set network.<setting>=<value>");
        }
    }

    private static void compare(String name, Object official, Object kit, List<String> differences) {
        if (!official.equals(kit)) {
            differences.add(name + " " + official + " vs " + kit);
        }
    }

    /**
     * The checkpoint's weights for every parameter of {@code network} (initialized, built from
     * {@code config}), by the kit's parameter key, in the kit's layout: the model weights, or the
     * EMA weights (then the Fourier projection's fixed W, which has no EMA entry, from the model).
     *
     * @throws IllegalArgumentException naming the first parameter that is missing or has the wrong
     *     shape, or the first official weight the network has no place for
     */
    public Map<String, NDArray> weights(NetworkConfig config, Block network, boolean useEma) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        Set<String> used = new HashSet<>();
        for (OfficialNames.Entry e : OfficialNames.of(config, network)) {
            boolean fromEma = useEma && e.trainable();
            Map<String, NDArray> source = fromEma ? ema : model;
            String where = fromEma ? "EMA weights" : "model weights";
            NDArray official = source.get(e.official());
            if (official == null) {
                throw new IllegalArgumentException("parameter " + e.official() + " (the kit's " + e.key() + ", shape "
                        + e.shape() + ") is missing from the " + where + " of " + file + "; is it a checkpoint of this "
                        + "network (" + config.kind() + ", nf " + config.nf() + ", " + config.numResBlocks() + " blocks per level)?");
            }
            Shape expected = e.layout().officialShape(e.shape());
            if (!official.getShape().equals(expected)) {
                throw new IllegalArgumentException("parameter " + e.official() + " has shape " + official.getShape() + " in the "
                        + where + " of " + file + ", the network needs " + expected + " (the kit's " + e.key() + ")");
            }
            out.put(e.key(), e.layout().toKit(official).toType(DataType.FLOAT32, false));
            used.add(e.official());
        }
        for (Map.Entry<String, Map<String, NDArray>> source : List.of(Map.entry("model", model), Map.entry("EMA", ema))) {
            for (String name : source.getValue().keySet()) {
                if (!used.contains(name) && !OfficialNames.IGNORED.contains(name)) {
                    throw new IllegalArgumentException(file + " has " + source.getKey() + " weights the network has no place for, "
                            + "first " + name + " " + source.getValue().get(name).getShape() + ": a checkpoint of a larger "
                            + "network (more blocks or levels)?");
                }
            }
        }
        return out;
    }

    /**
     * Writes a work directory from a converted official checkpoint: run.properties (the preset and
     * overrides, as {@code pfgm train} writes them), preset.txt, checkpoint.npz (model and EMA
     * weights, the step, the preset's fingerprint; no Adam moments: training on from it starts
     * Adam afresh) and imported.txt (the source).
     *
     * @return one line describing what was imported
     */
    public static String importRun(Path file, String presetName, Map<String, String> overrides, Path workdir) throws IOException {
        Preset preset = Presets.named(presetName);
        for (Map.Entry<String, String> o : overrides.entrySet()) {
            preset = Records.with(preset, o.getKey(), o.getValue());
        }
        if (Files.exists(Checkpoint.path(workdir))) {
            throw new IllegalArgumentException(workdir + " already holds a run (" + Checkpoint.FILE + "); import into a new --workdir");
        }
        NetworkConfig config = preset.network();
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            OfficialCheckpoint official = read(manager, file);
            official.checkNetwork(config, presetName);
            Block network = Networks.build(config, pfgm.method.Methods.of(preset).extraOutputs());
            network.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(config.sampleShape()), new Shape(1));
            Map<String, NDArray> model = official.weights(config, network, false);
            Map<String, NDArray> ema = official.weights(config, network, true);
            Map<String, NDArray> arrays = new LinkedHashMap<>();
            model.forEach((k, a) -> arrays.put("model/" + k, a));
            network.getParameters().forEach(p -> {
                if (p.getValue().requiresGradient()) {
                    arrays.put("ema/" + p.getKey(), ema.get(p.getKey()));
                }
            });
            Files.createDirectories(workdir);
            StringBuilder settings = new StringBuilder("preset=" + presetName + "\n");
            overrides.forEach((k, v) -> settings.append("set.").append(k).append('=').append(v).append('\n'));
            AtomicFiles.write(workdir.resolve(Run.SETTINGS), out -> out.write(settings.toString().getBytes(StandardCharsets.UTF_8)));
            AtomicFiles.write(workdir.resolve("preset.txt"), out -> out.write(
                    Records.describe(Presets.named(presetName)).getBytes(StandardCharsets.UTF_8)));
            new Checkpoint(official.step(), 0, official.emaUpdates(), preset.fingerprint(), arrays).write(workdir);
            String line = String.format("imported %s: official step %d, EMA updates %d, %,d weights into %s (preset %s)",
                    file, official.step(), official.emaUpdates(), Networks.parameterCount(network), workdir, presetName);
            AtomicFiles.write(workdir.resolve(NOTE), out -> out.write((line + "\n").getBytes(StandardCharsets.UTF_8)));
            return line;
        }
    }
}
