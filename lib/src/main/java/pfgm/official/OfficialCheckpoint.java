package pfgm.official;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import pfgm.config.MethodType;
import pfgm.config.Preset;
import pfgm.io.AtomicFiles;
import pfgm.io.NumPy;
import pfgm.method.sde.SdeConfig;
import pfgm.nn.NetworkConfig;
import pfgm.nn.Networks;
import pfgm.run.RunDirectory;
import pfgm.run.RunSettings;
import pfgm.train.Checkpoint;

/**
 * A checkpoint of the official PFGM code (Newbeeer/Poisson_flow) or of score-SDE
 * (yang-song/score_sde_pytorch), as environment/checkpoints/convert_official.py writes it:
 * model/NAME and ema/NAME arrays under the official parameter names, the step, the EMA's update
 * count and, when the conversion was given the config file, config/KEY settings. {@link #importRun}
 * turns it into a work directory of the kit (run.properties and checkpoint.npz) that sampling,
 * evaluation and {@code Run.reopen} use like any run's.
 *
 * <p>Both codes build their DDPM++ and NCSN++ with the same models/ncsnpp.py; PFGM's has one more
 * output channel (v_z), and the config's training.sde says which method trained it ('poisson',
 * 'vpsde', 'subvpsde', 'vesde'): {@link #method()}. score-SDE's VE configs train on [0, 1] pixels
 * (data.centered = False; the network maps its input to 2 x - 1 itself) where the kit's data is
 * x = 2 y - 1 in [-1, 1]: the same process has sigma' = 2 sigma in the kit's units and score
 * s'(x) = s(y) / 2. Its network computes h(2 y - 1, log sigma) / sigma; the kit's VE divides the
 * output by sigma' and embeds log sigma' = log sigma + log 2. The import shifts the Fourier
 * features' argument back by log 2, exactly, by rotating the first dense layer's weights
 * ({@link #withLabelShift}), so that the kit's network gives h(x, log sigma) at sigma' and the
 * kit's score h / sigma' is the official score in the kit's units.
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

    /** The kit's method for each training.sde of the official configs. */
    private static final Map<String, MethodType> METHODS = Map.of("poisson", MethodType.PFGM, "vpsde", MethodType.VP,
            "subvpsde", MethodType.SUBVP, "vesde", MethodType.VE);

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
     * FIR, no progressive paths) or NCSN++ (FIR, progressive_input = 'residual'). What the network
     * is trained for (its method, data scaling and output scaling) is {@link #method()}'s and
     * {@link #check}'s.
     *
     * @throws IllegalArgumentException when the config describes a network the kit does not build
     */
    public NetworkConfig network() {
        if (!hasConfig()) {
            throw new IllegalArgumentException(file + " was converted without --config; its network is not described");
        }
        List<String> unsupported = new ArrayList<>();
        String model = text("name", "ncsnpp");
        if (!model.equalsIgnoreCase("ncsnpp")) {
            throw new IllegalArgumentException(file + " holds a network the kit does not build: model.name = '" + model
                    + "' (the kit imports the DDPM++ and NCSN++ of models/ncsnpp.py)");
        }
        require(text("resblock_type").equalsIgnoreCase("biggan"), "resblock_type = " + text("resblock_type"), unsupported);
        require(text("progressive").equalsIgnoreCase("none"), "progressive = " + text("progressive"), unsupported);
        require(flag("skip_rescale"), "skip_rescale = False", unsupported);
        require(flag("conditional", true), "conditional = False", unsupported);
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
     * The kit's method that trained the checkpoint, from the config's training.sde: pfgm
     * ('poisson'), vp ('vpsde'), subvp ('subvpsde') or ve ('vesde').
     *
     * @throws IllegalArgumentException for another SDE, or a file converted without a config
     */
    public MethodType method() {
        String sde = text("sde", "poisson").toLowerCase(java.util.Locale.ROOT);
        MethodType method = METHODS.get(sde);
        if (method == null) {
            throw new IllegalArgumentException(file + " was trained with training.sde = '" + sde + "'; the kit imports "
                    + "'poisson' (PFGM), 'vpsde', 'subvpsde' and 'vesde' (score-SDE)");
        }
        return method;
    }

    /**
     * How much larger the kit's data (in [-1, 1]) is than the data the checkpoint's network was
     * trained on: 2 for data.centered = False (pixels in [0, 1], score-SDE's VE configs), 1 for
     * centred data.
     */
    public double dataScale() {
        return hasConfig() && !flag("centered", true) ? 2 : 1;
    }

    /**
     * What keeps the checkpoint's method from being the kit's, whatever the preset: discrete-time
     * training, uncentred data where only VE can be rescaled, an output scaling other than the
     * method's.
     */
    private List<String> unsupportedMethod(MethodType method, NetworkConfig network) {
        List<String> unsupported = new ArrayList<>();
        boolean ve = method == MethodType.VE;
        if (method != MethodType.PFGM) {
            require(flag("continuous", true), "training.continuous = False (score-SDE's discrete-time training: the network "
                    + "sees integer steps; the kit's SDEs condition on continuous time, as its *_continuous configs)", unsupported);
        }
        require(ve || flag("centered", true), "data.centered = False with " + method + " (the kit feeds data in [-1, 1]; "
                + "only VE's rescaling to [-1, 1] is exact)", unsupported);
        require(ve == flag("scale_by_sigma", false), "scale_by_sigma = " + (ve ? "False with VE (the kit's VE divides the "
                + "network's output by sigma, as score-SDE's scale_by_sigma)" : "True with " + method), unsupported);
        require(!ve || network.embedding() == NetworkConfig.Embedding.FOURIER, "embedding_type = 'positional' with VE "
                + "(ncsnpp.py then reads sigma from its discrete table; the kit's VE network embeds log sigma with Fourier "
                + "features)", unsupported);
        return unsupported;
    }

    /**
     * Checks that the checkpoint fits the preset: its method, then its network, then (for the
     * SDEs) its SDE's settings in the kit's units; every difference is named in one message.
     * Without a config there is nothing to compare; the weights' names and shapes still are, and
     * their embedding and output channels ({@link #weights}); {@link #importRun} then takes them
     * into PFGM presets only.
     *
     * @throws IllegalArgumentException for a checkpoint the kit cannot import, or one that differs from the preset
     */
    public void check(Preset preset, String presetName) {
        if (!hasConfig()) {
            return;
        }
        NetworkConfig official = network();
        MethodType method = method();
        List<String> unsupported = unsupportedMethod(method, official);
        if (!unsupported.isEmpty()) {
            throw new IllegalArgumentException(file + " cannot be imported: " + String.join(", ", unsupported));
        }
        NetworkConfig kit = preset.network();
        List<String> differences = new ArrayList<>();
        if (method != preset.method()) {
            int c = official.channels();
            boolean pfgmOutputs = method == MethodType.PFGM;
            boolean presetPfgmOutputs = preset.method() == MethodType.PFGM;
            differences.add("method " + method + " vs " + preset.method() + (pfgmOutputs == presetPfgmOutputs ? ""
                    : " (" + outputs(method, c) + "; " + outputs(preset.method(), kit.channels()) + ")"));
        }
        compare("kind", official.kind(), kit.kind(), differences);
        compare("channels", official.channels(), kit.channels(), differences);
        compare("imageSize", official.imageSize(), kit.imageSize(), differences);
        compare("nf", official.nf(), kit.nf(), differences);
        compare("chMult", Arrays.toString(official.chMult()), Arrays.toString(kit.chMult()), differences);
        compare("numResBlocks", official.numResBlocks(), kit.numResBlocks(), differences);
        compare("attnResolutions", Arrays.toString(official.attnResolutions()), Arrays.toString(kit.attnResolutions()), differences);
        compare("embedding", official.embedding(), kit.embedding(), differences);
        if (method == preset.method() && method != MethodType.PFGM) {
            SdeConfig sde = preset.sde();
            if (method == MethodType.VE) {
                double scale = dataScale();
                String units = scale == 1 ? "" : " (" + "%s in the checkpoint's [0, 1] data, times " + (int) scale
                        + " for the kit's [-1, 1])";
                compareSetting("sde.sigmaMin", "sigma_min", scale, sde.sigmaMin(), units, differences);
                compareSetting("sde.sigmaMax", "sigma_max", scale, sde.sigmaMax(), units, differences);
            } else {
                compareSetting("sde.betaMin", "beta_min", 1, sde.betaMin(), "", differences);
                compareSetting("sde.betaMax", "beta_max", 1, sde.betaMax(), "", differences);
            }
        }
        if (!differences.isEmpty()) {
            throw new IllegalArgumentException(file + " differs from preset " + presetName + "'s: " + String.join(", ", differences)
                    + " (checkpoint vs preset); choose the preset of that config, or --set <setting>=<value>");
        }
    }

    private static String outputs(MethodType method, int channels) {
        return method + (method == MethodType.PFGM ? "'s network outputs C + 1 = " + (channels + 1) + " channels, v_x and v_z"
                : "'s outputs C = " + channels + (method == MethodType.PFGMPP ? ", the denoiser" : ", the score"));
    }

    /** Compares the config's {@code key} times {@code scale} with the preset's value, if the config has it. */
    private void compareSetting(String name, String key, double scale, double preset, String units, List<String> differences) {
        if (!config.containsKey(key)) {
            return;
        }
        double value = real(key) * scale;
        if (Math.abs(value - preset) > 1e-9 * Math.abs(preset)) {
            differences.add(name + " " + format(value) + (units.isEmpty() ? "" : String.format(units, key + " " + format(real(key))))
                    + " vs " + format(preset));
        }
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
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
        List<OfficialNames.Entry> entries = OfficialNames.of(config, network);
        checkEmbeddingAndOutputs(config, entries);
        for (OfficialNames.Entry e : entries) {
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
     * What a file converted without its config shows of the two ways a checkpoint can fit the
     * layers but not the method: Fourier features (the fixed 1-D all_modules.0.W) or the
     * sinusoidal embedding, and the output layer's channels (C + 1 for PFGM, C for the SDEs).
     */
    private void checkEmbeddingAndOutputs(NetworkConfig config, List<OfficialNames.Entry> entries) {
        NDArray w = model.get("all_modules.0.W");
        boolean fourier = w != null && w.getShape().dimension() == 1;
        if (fourier != (config.embedding() == NetworkConfig.Embedding.FOURIER)) {
            throw new IllegalArgumentException(file + "'s network embeds its label with " + (fourier
                    ? "Gaussian Fourier features (all_modules.0.W) where the preset's network uses the sinusoidal embedding"
                    : "the sinusoidal embedding where the preset's network uses Gaussian Fourier features")
                    + " (a VE network is not a VP one, nor the reverse); choose the preset of the checkpoint's config");
        }
        OfficialNames.Entry output = null; // the output convolution's weight: the last 4-D parameter
        for (OfficialNames.Entry e : entries) {
            if (e.shape().dimension() == 4) {
                output = e;
            }
        }
        NDArray official = output == null ? null : model.get(output.official());
        if (official == null) {
            return; // weights() names what is missing
        }
        Shape expected = output.layout().officialShape(output.shape());
        if (official.getShape().dimension() == 4 && official.getShape().get(0) != expected.get(0)
                && official.getShape().slice(1).equals(expected.slice(1))) {
            long got = official.getShape().get(0);
            throw new IllegalArgumentException("the output layer " + output.official() + " of " + file + " has " + got
                    + " channels, the preset's network " + expected.get(0) + ": " + (got == config.channels() + 1
                    ? "a PFGM network (C + 1 outputs, v_x and v_z) cannot serve an SDE method (C outputs, the score)"
                    : got == config.channels() && expected.get(0) == config.channels() + 1
                    ? "a score network of the SDEs (C outputs) cannot serve PFGM (C + 1 outputs, v_x and v_z)"
                    : "is it a checkpoint of this data's channels?"));
        }
    }

    /**
     * This checkpoint with Gaussian Fourier features that see log(label) - {@code shift} while the
     * network is given log(label): the first dense layer (all_modules.1, after the projection
     * all_modules.0 with its fixed W) takes [sin a, cos a] with a_i = 2 pi W_i log(label); at
     * a_i + phi_i, phi_i = 2 pi W_i shift, sin(a) = sin(a + phi) cos phi - cos(a + phi) sin phi and
     * cos(a) = cos(a + phi) cos phi + sin(a + phi) sin phi, so the layer's columns i (sin) and
     * E + i (cos) become cos phi S + sin phi C and cos phi C - sin phi S: the same function, in the
     * model and the EMA weights (computed in float64).
     */
    public OfficialCheckpoint withLabelShift(double shift) {
        NDArray w = model.get("all_modules.0.W");
        if (w == null || w.getShape().dimension() != 1) {
            throw new IllegalArgumentException(file + "'s network has no Fourier features (all_modules.0.W) whose "
                    + "label could be rescaled");
        }
        long size = w.getShape().get(0);
        NDArray phase = w.toType(DataType.FLOAT64, false).mul(2 * Math.PI * shift).reshape(1, size);
        NDArray cos = phase.cos();
        NDArray sin = phase.sin();
        Map<String, NDArray> newModel = new LinkedHashMap<>(model);
        Map<String, NDArray> newEma = new LinkedHashMap<>(ema);
        for (Map<String, NDArray> weights : List.of(newModel, newEma)) {
            NDArray dense = weights.get("all_modules.1.weight");
            if (dense == null) {
                continue; // weights() names what is missing
            }
            if (dense.getShape().dimension() != 2 || dense.getShape().get(1) != 2 * size) {
                throw new IllegalArgumentException("all_modules.1.weight of " + file + " has shape " + dense.getShape()
                        + "; the dense layer after " + size + " Fourier features takes " + 2 * size + " inputs");
            }
            NDArray d = dense.toType(DataType.FLOAT64, false);
            NDArray s = d.get(":, :" + size);
            NDArray c = d.get(":, " + size + ":");
            NDArray rotated = s.mul(cos).add(c.mul(sin)).concat(c.mul(cos).sub(s.mul(sin)), 1);
            weights.put("all_modules.1.weight", rotated.toType(dense.getDataType(), false));
        }
        return new OfficialCheckpoint(file, step, emaUpdates, newModel, newEma, config);
    }

    /**
     * Writes a work directory from a converted official checkpoint: run.properties and preset.txt
     * (the preset and overrides, as {@code pfgm train} writes them), checkpoint.npz (model and EMA
     * weights, the step, the run's fingerprint; no Adam moments: training on from it starts Adam
     * afresh) and imported.txt (the source).
     *
     * @return one line describing what was imported
     */
    public static String importRun(Path file, RunSettings settings, Path workdir) throws IOException {
        RunDirectory directory = RunDirectory.create(workdir, settings);
        Preset preset = directory.preset();
        NetworkConfig config = preset.network();
        // cpu: a file converted into another file; the run's device reads the checkpoint when it trains or samples.
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            OfficialCheckpoint official = read(manager, file);
            official.check(preset, settings.preset());
            // score-SDE's VE on [0, 1] data: the kit's sigma is twice the official one (class comment).
            double scale = official.dataScale();
            if (scale != 1) {
                official = official.withLabelShift(Math.log(scale));
            }
            Block network = preset.createMethod().network(config);
            network.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(config.sampleShape()), new Shape(1));
            Map<String, NDArray> model = official.weights(config, network, false);
            Map<String, NDArray> ema = official.weights(config, network, true);
            if (!official.hasConfig() && preset.method() != MethodType.PFGM) {
                // The weights fit, but which SDE trained them (VP and sub-VP share the network) and on
                // which data scale (score-SDE's VE: [0, 1]) only the config says.
                throw new IllegalArgumentException(file + " was converted without --config; for method " + preset.method()
                        + " the import needs the config's SDE and data scaling: convert it again with --config <the official "
                        + "config file>");
            }
            Map<String, NDArray> arrays = new LinkedHashMap<>();
            model.forEach((k, a) -> arrays.put("model/" + k, a));
            network.getParameters().forEach(p -> {
                if (p.getValue().requiresGradient()) {
                    arrays.put("ema/" + p.getKey(), ema.get(p.getKey()));
                }
            });
            directory.writeSettings();
            // Its steps were trained by the authors' code: rows of this run say "official".
            List<Checkpoint.Segment> trainedBy = List.of(new Checkpoint.Segment("official", "", 0, official.step()));
            new Checkpoint(new Checkpoint.Meta(official.step(), 0, official.emaUpdates(), directory.fingerprint().settings(),
                    trainedBy), arrays).write(workdir);
            String line = String.format("imported %s: official step %d, EMA updates %d, %,d weights into %s (preset %s%s)",
                    file, official.step(), official.emaUpdates(), Networks.parameterCount(network), workdir, settings.preset(),
                    scale == 1 ? "" : String.format("; trained on [0, 1] data: its sigma labels are rescaled by %s for the "
                            + "kit's [-1, 1]", format(scale)));
            AtomicFiles.write(workdir.resolve(NOTE), out -> out.write((line + "\n").getBytes(StandardCharsets.UTF_8)));
            return line;
        }
    }
}
