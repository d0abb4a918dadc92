package pfgm.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import pfgm.config.TrainConfig;
import pfgm.nn.NetworkConfig;
import pfgm.train.Trainer.StepTimes;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The kit's training step against the same network in PyTorch eager (the official models/ncsnpp.py
 * with torch.optim.Adam, clip_grad_norm_ and the official EMA), run back to back on this machine:
 * {@code rounds} times the kit's {@code steps} timed steps (synthetic data of the preset's shape)
 * then {@code environment/bench/pytorch_train_step.py}'s, with the same batch and the same number
 * of intra-op threads. Compared is the network part: forward, backward and the optimizer (clip,
 * Adam, EMA, zeroing the gradients), which both do with PyTorch's kernels; the field target is
 * the kit's own and has no counterpart in the script.
 */
public record PytorchComparison(String preset, Map<String, String> overrides, int steps, int rounds, Path python,
        Path script, Path officialCode) {

    public static final String SCRIPT = "environment/bench/pytorch_train_step.py";

    /** Medians over all rounds of both sides, per part, and the per-round ratio of the network part. */
    public record Result(String preset, NetworkConfig network, int batch, int threads, long kitParameters,
            long torchParameters, String torchVersion, List<StepTimes> kit, Map<String, List<Double>> torch,
            double[] roundRatios) {}

    public Result run() throws IOException, InterruptedException {
        if (!Files.isRegularFile(script)) {
            throw new IllegalArgumentException("no benchmark script at " + script + " (" + SCRIPT + " of the kit)");
        }
        if (officialCode == null || !Files.isRegularFile(officialCode.resolve("models").resolve("ncsnpp.py"))) {
            throw new IllegalArgumentException("the official PFGM code is needed: --official-code PATH (or PFGM_OFFICIAL_CODE) "
                    + "naming a checkout of Newbeeer/Poisson_flow with models/ncsnpp.py" + (officialCode == null ? "" : "; "
                    + officialCode + " has none"));
        }
        Engine.getInstance();
        int threads = JniUtils.getNumThreads();
        List<StepTimes> kit = new ArrayList<>();
        Map<String, List<Double>> torch = new java.util.LinkedHashMap<>();
        double[] ratios = new double[rounds];
        long kitParameters = 0;
        long torchParameters = 0;
        String version = "";
        NetworkConfig network = null;
        int batch = 0;
        for (int round = 0; round < rounds; round++) {
            TrainBenchmark.Result k = new TrainBenchmark(preset, overrides, steps, Device.cpu(), true).measure();
            kit.addAll(k.steps());
            kitParameters = k.parameters();
            network = k.preset().network();
            TrainConfig train = k.preset().train();
            batch = train.smallBatchSize();
            JsonObject t = runScript(network, train, threads);
            torchParameters = t.get("parameters").getAsLong();
            version = t.get("torch").getAsString();
            JsonObject parts = t.getAsJsonObject("steps");
            for (String part : parts.keySet()) {
                List<Double> values = torch.computeIfAbsent(part, p -> new ArrayList<>());
                parts.getAsJsonArray(part).forEach(v -> values.add(v.getAsDouble()));
            }
            double torchNetwork = TrainBenchmark.median(toArray(parts.getAsJsonArray("network")));
            ratios[round] = k.median(StepTimes::network) / torchNetwork;
            System.err.printf(Locale.ROOT, "round %d of %d: network part kit %.1f ms, PyTorch %.1f ms, ratio %.3f%n",
                    round + 1, rounds, k.median(StepTimes::network), torchNetwork, ratios[round]);
        }
        if (kitParameters != torchParameters) {
            throw new IllegalStateException("the networks differ: the kit's has " + kitParameters
                    + " parameters, the official one built from the same settings " + torchParameters);
        }
        return new Result(preset, network, batch, threads, kitParameters, torchParameters, version, kit, torch, ratios);
    }

    private JsonObject runScript(NetworkConfig n, TrainConfig train, int threads) throws IOException, InterruptedException {
        String json = String.format(Locale.ROOT, "{\"kind\": \"%s\", \"channels\": %d, \"imageSize\": %d, \"nf\": %d, "
                + "\"chMult\": %s, \"numResBlocks\": %d, \"attnResolutions\": %s, \"dropout\": %s, \"embedding\": \"%s\", "
                + "\"fourierScale\": %s}", n.kind(), n.channels(), n.imageSize(), n.nf(), Arrays.toString(n.chMult()),
                n.numResBlocks(), Arrays.toString(n.attnResolutions()), n.dropout(), n.embedding(), n.fourierScale());
        List<String> command = List.of(python.toString(), script.toString(), "--official-code", officialCode.toString(),
                "--network", json, "--batch", Integer.toString(train.smallBatchSize()), "--threads", Integer.toString(threads),
                "--steps", Integer.toString(steps), "--lr", Double.toString(train.lr()), "--beta1", Double.toString(train.beta1()),
                "--eps", Double.toString(train.eps()), "--grad-clip", Double.toString(train.gradClip()),
                "--ema", Double.toString(train.emaDecay()));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot run " + python + " (" + e.getMessage()
                    + "); the comparison needs Python 3 with Debian's python3-torch, or --python PATH", e);
        }
        process.getOutputStream().close();
        var errors = new java.io.ByteArrayOutputStream();
        Thread drain = new Thread(() -> {
            try {
                process.getErrorStream().transferTo(errors);
            } catch (IOException ignored) {
                // the exit code tells
            }
        });
        drain.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = process.waitFor();
        drain.join();
        if (code != 0) {
            String message = errors.toString(StandardCharsets.UTF_8).lines()
                    .filter(l -> l.contains("error:") || l.startsWith("ModuleNotFoundError") || l.contains("Error"))
                    .collect(Collectors.joining("; "));
            throw new IllegalArgumentException(python + " " + script.getFileName() + " failed (exit " + code + ")"
                    + (message.isEmpty() ? "" : ": " + message));
        }
        String last = out.strip().lines().reduce((a, b) -> b).orElse("");
        return JsonParser.parseString(last).getAsJsonObject();
    }

    private static double[] toArray(JsonArray array) {
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).getAsDouble();
        }
        return values;
    }

    private static double median(List<Double> values) {
        return TrainBenchmark.median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Kit, PyTorch and their ratio per part; the ratio of the network part is the one to watch. */
    public static Table table(Result r) {
        String[] parts = {"forward", "backward", "optimizer (clip + Adam + EMA)", "network part (fwd + bwd + opt)"};
        double[] kit = {median(r.kit().stream().map(StepTimes::forward).toList()),
            median(r.kit().stream().map(StepTimes::backward).toList()),
            median(r.kit().stream().map(StepTimes::optimizer).toList()),
            median(r.kit().stream().map(StepTimes::network).toList())};
        double[] torch = {median(r.torch().get("forward")), median(r.torch().get("backward")),
            median(r.torch().get("optimizer")), median(r.torch().get("network"))};
        double[] ratio = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            ratio[i] = Math.round(kit[i] / torch[i] * 1000) / 1000.0;
        }
        return Table.create(String.format(Locale.ROOT, "%s %s, batch %d, %,d parameters, %d intra-op threads: "
                        + "median ms of %d steps (%d rounds), kit (PyTorch %s via DJL) vs PyTorch %s eager",
                        r.preset(), r.network().kind(), r.batch(), r.kitParameters(), r.threads(), r.kit().size(),
                        r.roundRatios().length, Engine.getInstance().getVersion(),
                        r.torchVersion()),
                StringColumn.create("part", parts),
                DoubleColumn.create("kit ms", Arrays.stream(kit).map(TrainBenchmark::round).toArray()),
                DoubleColumn.create("PyTorch ms", Arrays.stream(torch).map(TrainBenchmark::round).toArray()),
                DoubleColumn.create("kit / PyTorch", ratio));
    }

    /** The script next to the kit this class was loaded from, else under the working directory or above it. */
    public static Path defaultScript() {
        try {
            Path code = Path.of(PytorchComparison.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // lib/target/pfgm-lib.jar or lib/target/classes: three levels up is the kit.
            Path root = code.getParent() == null ? null : code.getParent().getParent();
            root = root == null ? null : root.getParent();
            if (root != null && Files.isRegularFile(root.resolve(SCRIPT))) {
                return root.resolve(SCRIPT);
            }
        } catch (java.net.URISyntaxException | SecurityException | NullPointerException ignored) {
            // fall through to the working directory
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(SCRIPT))) {
                return dir.resolve(SCRIPT);
            }
        }
        return Path.of(SCRIPT);
    }
}
