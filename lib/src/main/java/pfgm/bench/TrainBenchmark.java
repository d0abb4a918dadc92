package pfgm.bench;

import ai.djl.Device;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;
import pfgm.config.MethodType;
import pfgm.config.Preset;
import pfgm.nn.Networks;
import pfgm.run.Run;
import pfgm.run.RunSettings;
import pfgm.train.Trainer;
import pfgm.train.Trainer.StepTimes;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Milliseconds per training step of a preset, split into its parts as the trainer times them:
 * drawing the batch, the method's own work (for PFGM the perturbation and the normalized field
 * over the large batch), the network's forward pass, the backward pass, and the optimizer
 * (gradient norm and clipping, Adam, the EMA). With {@code synthetic} the batches are random
 * images of the preset's shape ({@code data=synthetic}), so any preset runs without its data set.
 * With several devices the run trains data-parallel, a replica on each (pfgm.train.Trainer).
 */
public record TrainBenchmark(RunSettings settings, int steps, List<Device> devices, boolean synthetic, Path trace) {

    public TrainBenchmark(RunSettings settings, int steps, Device device) {
        this(settings, steps, List.of(device), false, null);
    }

    public TrainBenchmark(RunSettings settings, int steps, Device device, boolean synthetic) {
        this(settings, steps, List.of(device), synthetic, null);
    }

    /** The timed steps (after one warm-up step) of one run, what was run, and on how many replicas. */
    public record Result(Preset preset, long parameters, int replicas, List<StepTimes> steps) {
        public double median(ToDoubleFunction<StepTimes> part) {
            return TrainBenchmark.median(steps.stream().mapToDouble(part).toArray());
        }
    }

    /** Trains {@code steps + 1} steps in a scratch work directory and keeps the times of all but the first. */
    public Result measure() throws IOException {
        return measure(new Trainer.Listener() {});
    }

    /** Like {@link #measure()}; {@code also} hears every step too (after its times are taken). */
    public Result measure(Trainer.Listener also) throws IOException {
        Path workdir = Files.createTempDirectory("pfgm-bench-");
        RunSettings timed = (synthetic ? settings.with("data", Run.SYNTHETIC) : settings)
                .with("train.steps", Integer.toString(steps + 1)) // the first step warms up
                .with("snapshotEvery", "0").with("checkpointEvery", "1000000");
        List<StepTimes> times = new ArrayList<>();
        try (Run run = Run.open(timed, workdir, devices)) {
            run.trainer().addListener(new Trainer.Listener() {
                @Override
                public void onStepTimes(long step, StepTimes t) {
                    if (step > 1) {
                        times.add(t);
                    }
                }

                @Override
                public void onStep(long step, double loss) {
                    // With a trace: PyTorch's profiler over the timed steps (it slows them a little).
                    if (trace != null && step == 1) {
                        JniUtils.startProfile(false, true, false);
                    }
                    if (trace != null && step == steps + 1) {
                        JniUtils.stopProfile(trace.toAbsolutePath().toString());
                    }
                }
            });
            run.trainer().addListener(also);
            run.trainer().train();
            return new Result(run.preset(), Networks.parameterCount(run.trainer().network()), devices.size(), times);
        } finally {
            deleteRecursively(workdir);
        }
    }

    public Table run() throws IOException {
        return table(measure());
    }

    /** Median of each part; the parts' medians need not add up to the whole step's. */
    public static Table table(Result r) {
        boolean pfgm = r.preset().method() == MethodType.PFGM;
        int batch = r.preset().train().smallBatchSize();
        double whole = r.median(StepTimes::total);
        String[] parts = {"whole step", "data", pfgm ? "field target" : "method's loss", "forward", "backward",
            "optimizer (clip + Adam + EMA)", "network part (fwd + bwd + opt)"};
        double[] ms = {whole, r.median(StepTimes::data), r.median(StepTimes::target), r.median(StepTimes::forward),
            r.median(StepTimes::backward), r.median(StepTimes::optimizer), r.median(StepTimes::network)};
        double[] share = Arrays.stream(ms).map(m -> round(m / whole)).toArray();
        double[] rate = new double[ms.length];
        Arrays.fill(rate, Double.NaN);
        rate[0] = round(batch * 1000 / whole);
        return Table.create(String.format("%s: training step, median of %d, batch %d, %,d parameters%s",
                        r.preset().name(), r.steps().size(), batch, r.parameters(),
                        r.replicas() == 1 ? "" : ", " + r.replicas() + " replicas"),
                StringColumn.create("part", parts),
                DoubleColumn.create("median ms", Arrays.stream(ms).map(TrainBenchmark::round).toArray()),
                DoubleColumn.create("share", share),
                DoubleColumn.create("samples / s", rate));
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
