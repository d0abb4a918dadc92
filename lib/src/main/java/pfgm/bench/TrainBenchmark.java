package pfgm.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import pfgm.config.PfgmConfig;
import pfgm.config.TrainConfig;
import pfgm.field.PerturbationKernel;
import pfgm.field.PoissonField;
import pfgm.train.Run;
import pfgm.train.Trainer;
import pfgm.util.Rng;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Milliseconds per training step of a preset, for PFGM split into the field target (perturbation
 * and the normalized field over the large batch) and the rest (network forward, backward, Adam,
 * EMA), measured on the same batch sizes in one process.
 */
public record TrainBenchmark(String preset, Map<String, String> overrides, int steps, Device device) {

    public Table run() throws IOException {
        Path workdir = Files.createTempDirectory("pfgm-bench-");
        Map<String, String> settings = new LinkedHashMap<>(overrides);
        settings.put("train.steps", Integer.toString(steps + 1)); // the first step warms up
        settings.put("snapshotEvery", "0");
        settings.put("checkpointEvery", "1000000");
        double[] stepMillis = new double[steps];
        double[] targetMillis = new double[steps];
        TrainConfig train;
        PfgmConfig pfgm;
        try (Run run = Run.open(preset, settings, workdir, device)) {
            train = run.preset().train();
            pfgm = run.preset().method().equals("pfgm") ? run.preset().pfgm() : null;
            long[] last = {System.nanoTime()};
            run.trainer().addListener(new Trainer.Listener() {
                @Override
                public void onStep(long step, double loss) {
                    long now = System.nanoTime();
                    if (step > 1) {
                        stepMillis[(int) step - 2] = (now - last[0]) / 1e6;
                    }
                    last[0] = now;
                }
            });
            run.trainer().train();
            if (pfgm == null) {
                double step = median(stepMillis);
                return Table.create(preset + ": training step, median of " + steps,
                        StringColumn.create("part", "whole step"), DoubleColumn.create("median ms", round(step)),
                        DoubleColumn.create("samples / s", round(train.batchSize() * 1000 / step)));
            }
            PerturbationKernel kernel = new PerturbationKernel(pfgm.sigma(), pfgm.tau(), pfgm.M(), pfgm.restrictM());
            try (NDManager manager = NDManager.newBaseManager(device)) {
                Rng rng = new Rng(1);
                NDArray batch = rng.normal(manager, new ai.djl.ndarray.types.Shape(train.batchSize(),
                        run.preset().network().sampleShape().size()));
                for (int i = 0; i <= steps; i++) {
                    long start = System.nanoTime();
                    NDArray points = kernel.perturb(batch.get(new NDIndex("0:{}", train.smallBatchSize())), rng);
                    PoissonField.normalized(points, batch, pfgm.gamma()).close();
                    if (i > 0) {
                        targetMillis[i - 1] = (System.nanoTime() - start) / 1e6;
                    }
                    points.close();
                }
            }
        }
        double step = median(stepMillis);
        double target = median(targetMillis);
        return Table.create(preset + ": training step, median of " + steps,
                StringColumn.create("part", "whole step", "field target", "network and update"),
                DoubleColumn.create("median ms", round(step), round(target), round(step - target)),
                DoubleColumn.create("share", 1.0, round(target / step), round((step - target) / step)),
                DoubleColumn.create("samples / s", round(train.smallBatchSize() * 1000 / step), Double.NaN, Double.NaN));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
