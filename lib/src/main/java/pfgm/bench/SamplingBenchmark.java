package pfgm.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import pfgm.method.Method;
import pfgm.nn.Network;
import pfgm.ode.Solution;
import pfgm.run.Run;
import pfgm.run.RunSettings;
import pfgm.sampling.Sampler;
import pfgm.sampling.SamplingConfig;
import pfgm.util.GradMode;
import pfgm.util.Rng;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * What a field evaluation costs when sampling: milliseconds per NFE of the method's sampler (as
 * {@code pfgm sample} runs it: the method's generate with the EMA network) against the network's
 * own forward passes at the same batch, timed inside the sampler, and for reference bare forward
 * passes outside it. The difference is the solver's own work: the drift's arithmetic, the state
 * updates and freeing temporaries. The
 * weights are the preset's fresh initialization (speed does not depend on them), so no run or
 * data set is needed.
 */
public record SamplingBenchmark(RunSettings settings, SamplingConfig sampling, int batch, int runs, Device device) {

    /**
     * Medians over runs: ms per NFE of the whole sampler, ms per network call inside it, ms per bare
     * forward pass outside it (the same batch, right after each run); {@code overhead} is the
     * median over runs of (ms per NFE / ms per network call in that run) - 1: the solver's share.
     */
    public record Result(String preset, String solver, int batch, int nfe, double perNfeMillis, double networkMillis,
            double forwardMillis, double overhead) {}

    public Result run() throws IOException {
        Path workdir = Files.createTempDirectory("pfgm-bench-");
        RunSettings fresh = settings.with("data", Run.SYNTHETIC).with("train.steps", "0").with("snapshotEvery", "0");
        try (Run run = Run.open(fresh, workdir, device)) {
            GradMode.off();
            Network network = run.trainer().emaNetwork();
            NDManager manager = run.trainer().manager();
            int dim = Math.toIntExact(run.preset().network().sampleShape().size());
            NDArray x = new Rng(7).uniform(manager, new Shape(batch, dim), -1, 1);
            NDArray z = manager.full(new Shape(batch), 5f);
            // Alternating, so both see the same load on a shared machine: a sampling run, then as many
            // bare forward passes as it made field evaluations. The first two rounds warm up (the
            // allocator, the JIT, TorchScript's profiling runs).
            double[] perNfe = new double[runs];
            double[] forward = new double[runs];
            double[] inside = new double[runs];
            int nfe = 0;
            Method method = run.method();
            Sampler sampler = sampling.sampler();
            long[] networkNanos = {0};
            Network timed = (xs, labels) -> {
                long begin = System.nanoTime();
                NDArray v = network.apply(xs, labels);
                networkNanos[0] += System.nanoTime() - begin;
                return v;
            };
            for (int i = -2; i < runs; i++) {
                networkNanos[0] = 0;
                long start = System.nanoTime();
                // What Run.sample does for one batch, with the network's calls timed.
                Solution s = sampler.sample(method, method.model(timed), dim, manager, batch, new Rng(11 + i), false, f -> {});
                long elapsed = System.nanoTime() - start;
                nfe = s.nfe();
                s.y().close();
                double[] calls = new double[nfe];
                for (int k = 0; k < nfe; k++) {
                    long begin = System.nanoTime();
                    try (NDScope scope = new NDScope()) {
                        network.apply(x, z);
                    }
                    calls[k] = (System.nanoTime() - begin) / 1e6;
                }
                if (i >= 0) {
                    perNfe[i] = elapsed / 1e6 / nfe;
                    inside[i] = networkNanos[0] / 1e6 / nfe;
                    forward[i] = java.util.Arrays.stream(calls).sum() / nfe;
                }
            }
            double[] ratios = new double[runs];
            for (int i = 0; i < runs; i++) {
                ratios[i] = perNfe[i] / inside[i] - 1;
            }
            return new Result(run.preset().name(), sampling.label(), batch, nfe, TrainBenchmark.median(perNfe),
                    TrainBenchmark.median(inside), TrainBenchmark.median(forward), TrainBenchmark.median(ratios));
        } finally {
            try (var paths = Files.walk(workdir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    public static Table table(Result r) {
        return Table.create(String.format(Locale.ROOT, "%s sampling with %s at batch %d (NFE %d): median ms; overhead: "
                        + "median over runs of each run's ratio", r.preset(), r.solver(), r.batch(), r.nfe()),
                StringColumn.create("what", "per field evaluation in the sampler", "the network's forward pass inside it",
                        "bare forward pass outside the sampler", "solver overhead (first minus second)"),
                DoubleColumn.create("ms", Arrays.stream(new double[] {r.perNfeMillis(), r.networkMillis(), r.forwardMillis(),
                    r.perNfeMillis() - r.networkMillis()}).map(TrainBenchmark::round).toArray()),
                StringColumn.create("share", "", "", "", String.format(Locale.ROOT, "%.1f%%", 100 * r.overhead())));
    }
}
