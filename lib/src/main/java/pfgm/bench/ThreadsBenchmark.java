package pfgm.bench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import pfgm.nn.NetworkConfig;
import pfgm.run.RunSettings;
import pfgm.train.TrainConfig;
import pfgm.util.Threads;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The kit and PyTorch eager at one thread and at every core, one process at a time: each setup
 * runs in a fresh process (the kit's {@link StepProbe}, the PyTorch script with the official
 * network) that times the network part of a training step and a bare forward pass at the training
 * batch (the kit also its sampler's cost per field evaluation); setups alternate within a round and
 * every round runs them all, so a machine's drift spreads over all of them. The kit runs with both
 * OpenMP wait policies at every core: libgomp's default (idle threads spin briefly) and PASSIVE
 * (they sleep at once). With {@code busy} > 0 that many threads of this process spin for the whole
 * benchmark: other work on a shared machine.
 */
public record ThreadsBenchmark(RunSettings settings, int steps, int rounds, int busy, PytorchComparison.Python python) {
    private static volatile long sink;

    /** One way to run: which side, how many threads, and OpenMP's wait policy ("default" when unset). */
    public record Setup(String side, int threads, String waitPolicy) {
        boolean kit() {
            return side.equals("kit");
        }
    }

    /** Medians of one process: the network part of a training step, a sampler's field evaluation (kit only), a bare forward pass. */
    public record Times(double train, double sample, double forward) {}

    /** Every round's times per setup, in setup order. */
    public record Result(RunSettings settings, int batch, int cores, int busy, String torchVersion, Map<Setup, List<Times>> times) {}

    /** The setups on a machine with {@code cores} physical cores. */
    public static List<Setup> setups(int cores) {
        List<Setup> setups = new ArrayList<>(List.of(new Setup("kit", 1, "default")));
        if (cores > 1) {
            setups.add(new Setup("kit", cores, "default"));
            setups.add(new Setup("kit", cores, "passive"));
        }
        setups.add(new Setup("PyTorch", 1, "default"));
        if (cores > 1) {
            setups.add(new Setup("PyTorch", cores, "default"));
        }
        return setups;
    }

    public Result run(Consumer<String> progress) throws IOException, InterruptedException {
        python.requireReady();
        if (steps < 1 || rounds < 1 || busy < 0) {
            throw new IllegalArgumentException("--steps and --rounds must be >= 1 and --busy >= 0");
        }
        int cores = Threads.physicalCores();
        List<Setup> setups = setups(cores);
        Map<Setup, List<Times>> times = new LinkedHashMap<>();
        setups.forEach(s -> times.put(s, new ArrayList<>()));
        String[] torchVersion = {""};
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        for (int i = 0; i < busy; i++) {
            Thread spinner = new Thread(() -> {
                long x = 0;
                while (!stop.get()) {
                    x += System.nanoTime() & 1;
                }
                sink = x; // so the JIT keeps the loop's work
            }, "busy-" + i);
            spinner.setDaemon(true);
            spinner.start();
        }
        try {
            for (int round = 0; round < rounds; round++) {
                // Alternate the order so no setup always runs first (or right after a given other).
                List<Setup> order = new ArrayList<>(setups);
                if (round % 2 == 1) {
                    java.util.Collections.reverse(order);
                }
                for (Setup setup : order) {
                    JsonObject out = runOne(setup);
                    if (!setup.kit()) {
                        torchVersion[0] = out.get("torch").getAsString();
                    }
                    Times t = setup.kit() ? new Times(out.get("train_ms").getAsDouble(), out.get("sample_ms").getAsDouble(),
                            out.get("forward_ms").getAsDouble())
                            : new Times(out.get("median_network_ms").getAsDouble(), Double.NaN,
                                    TrainBenchmark.median(toArray(out.getAsJsonArray("forward_only"))));
                    times.get(setup).add(t);
                    progress.accept(String.format(Locale.ROOT, "round %d of %d: %s, %d thread(s), wait %s: training step %.1f ms, "
                            + "forward %.1f ms", round + 1, rounds, setup.side(), setup.threads(), setup.waitPolicy(), t.train(), t.forward()));
                }
            }
        } finally {
            stop.set(true);
        }
        return new Result(settings, settings.resolve().train().smallBatchSize(), cores, busy, torchVersion[0], times);
    }

    /** One setup in a process of its own; its one JSON line. */
    private JsonObject runOne(Setup setup) throws IOException, InterruptedException {
        List<String> command;
        if (setup.kit()) {
            command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Dai.djl.offline=true",
                    "-cp", System.getProperty("java.class.path"), StepProbe.class.getName(), Integer.toString(steps),
                    settings.preset()));
            settings.overrides().forEach((k, v) -> command.add(k + "=" + v));
        } else {
            NetworkConfig network = settings.resolve().network();
            TrainConfig train = settings.resolve().train();
            command = PytorchComparison.command(python, network, train, setup.threads(), "--steps", Integer.toString(steps),
                    "--forward-batch", Integer.toString(train.smallBatchSize()));
        }
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put(Threads.VARIABLE, Integer.toString(setup.threads()));
        if (setup.waitPolicy().equals("default")) {
            builder.environment().remove("OMP_WAIT_POLICY");
        } else {
            builder.environment().put("OMP_WAIT_POLICY", setup.waitPolicy().toUpperCase(Locale.ROOT));
        }
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = process.waitFor();
        String last = output.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse(null);
        if (code != 0 || last == null) {
            throw new IllegalStateException(setup.side() + " at " + setup.threads() + " thread(s) failed (exit " + code + "): "
                    + String.join(" ", command.subList(0, Math.min(command.size(), 6))) + " ...; run it by hand to see why");
        }
        return JsonParser.parseString(last).getAsJsonObject();
    }

    private static double[] toArray(com.google.gson.JsonArray values) {
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i).getAsDouble();
        }
        return out;
    }

    /**
     * Per setup the median over rounds of each process's median, the range over rounds, and the
     * ratio to PyTorch at every core, its default (training step and forward pass).
     */
    public static Table table(Result r) {
        Setup reference = r.times().keySet().stream().filter(s -> !s.kit() && s.threads() == r.cores()).findFirst().orElseThrow();
        double torchTrain = median(r.times().get(reference), Times::train);
        double torchForward = median(r.times().get(reference), Times::forward);
        List<Setup> setups = new ArrayList<>(r.times().keySet());
        double[] train = setups.stream().mapToDouble(s -> median(r.times().get(s), Times::train)).toArray();
        double[] forward = setups.stream().mapToDouble(s -> median(r.times().get(s), Times::forward)).toArray();
        return Table.create(String.format(Locale.ROOT, "%s, batch %d, %d physical core(s)%s, median over %d rounds of one "
                        + "process's median; kit PyTorch %s via DJL, PyTorch %s eager", r.settings(), r.batch(), r.cores(),
                        r.busy() > 0 ? ", " + r.busy() + " of them kept busy" : "", r.times().get(reference).size(),
                        ai.djl.engine.Engine.getInstance().getVersion(), r.torchVersion()),
                StringColumn.create("side", setups.stream().map(Setup::side).toList()),
                IntColumn.create("threads", setups.stream().mapToInt(Setup::threads).toArray()),
                StringColumn.create("OpenMP wait", setups.stream().map(Setup::waitPolicy).toList()),
                DoubleColumn.create("train step ms", Arrays.stream(train).map(TrainBenchmark::round).toArray()),
                StringColumn.create("range", setups.stream().map(s -> range(r.times().get(s), Times::train)).toList()),
                DoubleColumn.create("vs PyTorch default", Arrays.stream(train).map(t -> ratio(t, torchTrain)).toArray()),
                DoubleColumn.create("forward ms", Arrays.stream(forward).map(TrainBenchmark::round).toArray()),
                DoubleColumn.create("forward vs PyTorch default", Arrays.stream(forward).map(t -> ratio(t, torchForward)).toArray()),
                DoubleColumn.create("sampler ms / NFE", setups.stream().mapToDouble(s -> s.kit()
                        ? TrainBenchmark.round(median(r.times().get(s), Times::sample)) : Double.NaN).toArray()));
    }

    private static double median(List<Times> times, java.util.function.ToDoubleFunction<Times> part) {
        return TrainBenchmark.median(times.stream().mapToDouble(part).toArray());
    }

    private static String range(List<Times> times, java.util.function.ToDoubleFunction<Times> part) {
        var stats = times.stream().mapToDouble(part).summaryStatistics();
        return String.format(Locale.ROOT, "%.0f-%.0f", stats.getMin(), stats.getMax());
    }

    private static double ratio(double value, double reference) {
        return Math.round(value / reference * 1000) / 1000.0;
    }
}
