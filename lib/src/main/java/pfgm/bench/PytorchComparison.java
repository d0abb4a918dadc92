package pfgm.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
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
import pfgm.nn.NetworkConfig;
import pfgm.run.RunSettings;
import pfgm.train.TrainConfig;
import pfgm.train.Trainer.StepTimes;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The kit's training step against the same network in PyTorch eager (the official models/ncsnpp.py
 * with torch.optim.Adam, clip_grad_norm_ and the official EMA), step by step on this machine: the
 * script {@code environment/bench/pytorch_train_step.py} runs as a server, and after each of the
 * kit's steps (synthetic data of the preset's shape) it runs one of its own, so both sides see the
 * same load on a shared machine; same batch, same number of intra-op threads. Compared is the
 * network part: forward, backward and the optimizer (clip, Adam, EMA, zeroing the gradients),
 * which both do with PyTorch's kernels; the field target is the kit's own and has no counterpart.
 * {@code rounds} times a fresh kit network trains {@code steps} timed steps (after one warm-up).
 */
public record PytorchComparison(RunSettings settings, int steps, int rounds, Python python) {

    public static final String SCRIPT = "environment/bench/pytorch_train_step.py";

    /** How to start the PyTorch side. */
    public record Python(Path executable, Path script, Path officialCode) {
        /** Fails with what to do when the script or the official code is missing. */
        void requireReady() {
            if (!Files.isRegularFile(script)) {
                throw new IllegalArgumentException("no benchmark script at " + script + " (" + SCRIPT + " of the kit)");
            }
            if (officialCode == null || !Files.isRegularFile(officialCode.resolve("models").resolve("ncsnpp.py"))) {
                throw new IllegalArgumentException("the official PFGM code is needed: --official-code PATH (or PFGM_OFFICIAL_CODE) "
                        + "naming a checkout of Newbeeer/Poisson_flow with models/ncsnpp.py" + (officialCode == null ? ""
                        : "; " + officialCode + " has none"));
            }
        }
    }

    /**
     * Medians over all timed steps of both sides per part, and the median over steps of the
     * network part's ratio of a kit step to the PyTorch step right after it.
     */
    public record Result(String preset, NetworkConfig network, int batch, int threads, long parameters, String torchVersion,
            List<StepTimes> kit, Map<String, List<Double>> torch, double pairedRatio) {}

    public Result run() throws IOException, InterruptedException {
        python.requireReady();
        Engine.getInstance();
        int threads = JniUtils.getNumThreads();
        pfgm.config.Preset resolved = settings.resolve();
        NetworkConfig network = resolved.network();
        TrainConfig train = resolved.train();
        List<StepTimes> kit = new ArrayList<>();
        Map<String, List<Double>> torch = new java.util.LinkedHashMap<>();
        List<Double> ratios = new ArrayList<>();
        try (Server server = Server.start(python, network, train, threads)) {
            long kitParameters = 0;
            for (int round = 0; round < rounds; round++) {
                // cpu: the PyTorch side (pytorch_train_step.py) trains on the CPU with the same threads.
                TrainBenchmark.Result k = new TrainBenchmark(settings, steps, Device.cpu(), true).measure(
                        new pfgm.train.Trainer.Listener() {
                            @Override
                            public void onStepTimes(long step, StepTimes times) {
                                if (step == 1) {
                                    return; // the kit's warm-up; the server warmed up before its header
                                }
                                JsonObject parts = server.step();
                                for (String part : parts.keySet()) {
                                    torch.computeIfAbsent(part, p -> new ArrayList<>()).add(parts.get(part).getAsDouble());
                                }
                                ratios.add(times.network() / parts.get("network").getAsDouble());
                            }
                        });
                kit.addAll(k.steps());
                kitParameters = k.parameters();
                System.err.printf(Locale.ROOT, "round %d of %d: network part kit %.1f ms, PyTorch %.1f ms (medians of %d steps)%n",
                        round + 1, rounds, k.median(StepTimes::network),
                        median(torch.get("network").subList(torch.get("network").size() - steps, torch.get("network").size())), steps);
            }
            if (kitParameters != server.parameters) {
                throw new IllegalStateException("the networks differ: the kit's has " + kitParameters
                        + " parameters, the official one built from the same settings " + server.parameters);
            }
            return new Result(settings.preset(), network, train.smallBatchSize(), threads, kitParameters, server.version, kit, torch,
                    median(ratios));
        }
    }

    /** The script in --serve mode: one step per request. */
    private static final class Server implements AutoCloseable {
        private final Process process;
        private final java.io.BufferedReader out;
        private final java.io.Writer in;
        private final java.io.ByteArrayOutputStream errors = new java.io.ByteArrayOutputStream();
        private final Thread drain;
        private final Path executable;
        long parameters;
        String version;

        private Server(Process process, Path executable) {
            this.process = process;
            this.executable = executable;
            out = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            in = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            drain = new Thread(() -> {
                try {
                    process.getErrorStream().transferTo(errors);
                } catch (IOException ignored) {
                    // the exit code tells
                }
            });
            drain.setDaemon(true);
            drain.start();
        }

        static Server start(Python python, NetworkConfig n, TrainConfig train, int threads) throws IOException {
            List<String> command = command(python, n, train, threads, "--serve");
            Process process;
            try {
                process = new ProcessBuilder(command).start();
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot run " + python.executable() + " (" + e.getMessage()
                        + "); the comparison needs Python 3 with Debian's python3-torch, or --python PATH", e);
            }
            Server server = new Server(process, python.executable());
            JsonObject header = server.read();
            server.parameters = header.get("parameters").getAsLong();
            server.version = header.get("torch").getAsString();
            return server;
        }

        JsonObject step() {
            try {
                in.write("step\n");
                in.flush();
                return read();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        private JsonObject read() throws IOException {
            String line = out.readLine();
            if (line == null) {
                try {
                    int code = process.waitFor();
                    drain.join(5000);
                    String message = errors.toString(StandardCharsets.UTF_8).lines()
                            .filter(l -> l.contains("error:") || l.contains("Error"))
                            .collect(Collectors.joining("; "));
                    throw new IllegalArgumentException(executable + " " + SCRIPT + " failed (exit " + code + ")"
                            + (message.isEmpty() ? "" : ": " + message));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
            return JsonParser.parseString(line).getAsJsonObject();
        }

        @Override
        public void close() {
            try {
                in.write("quit\n");
                in.close();
            } catch (IOException ignored) {
                // it may have ended already
            }
            try {
                if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroy();
                }
            } catch (InterruptedException e) {
                process.destroy();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The script's command line for this network and optimizer at {@code threads} threads, then {@code more}. */
    static List<String> command(Python python, NetworkConfig n, TrainConfig train, int threads, String... more) {
        String json = String.format(Locale.ROOT, "{\"kind\": \"%s\", \"channels\": %d, \"imageSize\": %d, \"nf\": %d, "
                + "\"chMult\": %s, \"numResBlocks\": %d, \"attnResolutions\": %s, \"dropout\": %s, \"embedding\": \"%s\", "
                + "\"fourierScale\": %s}", n.kind(), n.channels(), n.imageSize(), n.nf(), Arrays.toString(n.chMult()),
                n.numResBlocks(), Arrays.toString(n.attnResolutions()), n.dropout(), n.embedding(), n.fourierScale());
        List<String> command = new ArrayList<>(List.of(python.executable().toString(), python.script().toString(),
                "--official-code", python.officialCode().toString(), "--network", json,
                "--batch", Integer.toString(train.smallBatchSize()), "--threads", Integer.toString(threads),
                "--lr", Double.toString(train.lr()), "--beta1", Double.toString(train.beta1()), "--eps", Double.toString(train.eps()),
                "--grad-clip", Double.toString(train.gradClip()), "--ema", Double.toString(train.emaDecay())));
        command.addAll(List.of(more));
        return command;
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
        return Table.create(String.format(Locale.ROOT, "%s %s, batch %d, %,d parameters, %d intra-op thread(s): "
                        + "median ms of %d steps each, interleaved, kit (PyTorch %s via DJL) vs PyTorch %s eager",
                        r.preset(), r.network().kind(), r.batch(), r.parameters(), r.threads(), r.kit().size(),
                        Engine.getInstance().getVersion(), r.torchVersion()),
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
