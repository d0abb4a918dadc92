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
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import pfgm.config.SamplingConfig;
import pfgm.method.Network;
import pfgm.ode.Solution;
import pfgm.train.Run;
import pfgm.util.GradMode;
import pfgm.util.Rng;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * What a field evaluation costs when sampling: milliseconds per NFE of the method's sampler (as
 * {@code pfgm sample} runs it, through {@code Run.sample} with the EMA network) against the bare
 * forward pass of the same network at the same batch (no grad, inference mode). The difference is
 * the solver's own work: the drift's arithmetic, the state updates and freeing temporaries. The
 * weights are the preset's fresh initialization (speed does not depend on them), so no run or
 * data set is needed.
 */
public record SamplingBenchmark(String preset, Map<String, String> overrides, SamplingConfig sampling, int batch, int runs,
        Device device) {

    public record Result(String preset, String solver, int batch, int nfe, double perNfeMillis, double forwardMillis) {
        public double overhead() {
            return perNfeMillis / forwardMillis - 1;
        }
    }

    public Result run() throws IOException {
        Path workdir = Files.createTempDirectory("pfgm-bench-");
        Map<String, String> settings = new LinkedHashMap<>(overrides);
        settings.put("data", Run.SYNTHETIC);
        settings.put("train.steps", "0");
        settings.put("snapshotEvery", "0");
        try (Run run = Run.open(preset, settings, workdir, device)) {
            GradMode.off();
            Network network = run.trainer().emaNetwork();
            NDManager manager = run.trainer().manager();
            int dim = Math.toIntExact(run.preset().network().sampleShape().size());
            double[] forward = new double[runs * 5];
            NDArray x = new Rng(7).uniform(manager, new Shape(batch, dim), -1, 1);
            NDArray z = manager.full(new Shape(batch), 5f);
            for (int i = -1; i < forward.length; i++) { // one warm-up call
                long start = System.nanoTime();
                try (NDScope scope = new NDScope()) {
                    network.apply(x, z);
                }
                if (i >= 0) {
                    forward[i] = (System.nanoTime() - start) / 1e6;
                }
            }
            double[] perNfe = new double[runs];
            int nfe = 0;
            var settingsForSampling = run.preset().withSampling(sampling);
            for (int i = -1; i < runs; i++) { // one warm-up run
                long start = System.nanoTime();
                Solution s = run.sample(batch, settingsForSampling, 11 + i, batch, f -> {});
                long elapsed = System.nanoTime() - start;
                nfe = s.nfe();
                s.y().close();
                if (i >= 0) {
                    perNfe[i] = elapsed / 1e6 / nfe;
                }
            }
            return new Result(run.preset().name(), sampling.label(), batch, nfe, TrainBenchmark.median(perNfe),
                    TrainBenchmark.median(forward));
        } finally {
            try (var paths = Files.walk(workdir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    public static Table table(Result r) {
        return Table.create(String.format(Locale.ROOT, "%s sampling with %s at batch %d (NFE %d): median ms",
                        r.preset(), r.solver(), r.batch(), r.nfe()),
                StringColumn.create("what", "per field evaluation in the sampler", "bare forward pass", "solver overhead"),
                DoubleColumn.create("ms", Arrays.stream(new double[] {r.perNfeMillis(), r.forwardMillis(),
                    r.perNfeMillis() - r.forwardMillis()}).map(TrainBenchmark::round).toArray()),
                StringColumn.create("share", "", "", String.format(Locale.ROOT, "%.1f%%", 100 * r.overhead())));
    }
}
