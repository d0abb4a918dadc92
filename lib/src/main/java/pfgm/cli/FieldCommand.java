package pfgm.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import pfgm.io.NumPy;
import pfgm.method.pfgm.PoissonField;
import pfgm.nn.Network;
import pfgm.run.Run;
import pfgm.util.Scopes;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "field", mixinStandardHelpOptions = true,
        description = {"Write a field at augmented points: the empirical normalized Poisson field sqrt(N) g / (||g|| + gamma) "
            + "of charges (--charges), or what a run's network predicts there (--workdir; a trained or imported run).",
            "Both give (S, N+1) rows (v_x, v_z), so a learned field can be compared with the empirical one, or with the "
            + "official network's output."})
final class FieldCommand implements Callable<Integer> {
    static final class Source {
        @Option(names = "--charges", required = true, description = ".npy (B, N): charges on the z = 0 plane.")
        Path charges;

        @Option(names = "--workdir", required = true, description = "A run (pfgm train or pfgm import): evaluate its network.")
        Path workdir;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--points", required = true, description = ".npy (S, N+1): augmented points, last column z (> 0 for a network).")
    Path points;

    @Option(names = "--gamma", defaultValue = "5", description = "Normalization gamma of the empirical field (default: ${DEFAULT-VALUE}).")
    double gamma;

    @Option(names = "--ema", description = "With --workdir: the EMA weights (what sampling uses) instead of the current weights.")
    boolean ema;

    @Option(names = "--batch-size", defaultValue = "64", description = "With --workdir: points per network call (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--out", required = true, description = "Output .npy (S, N+1), float32.")
    Path out;

    @Mixin
    DeviceOption device;

    @Override
    public Integer call() throws Exception {
        if (source.workdir != null) {
            return fromRun();
        }
        if (ema) {
            throw new IllegalArgumentException("--ema chooses a run's weights; it needs --workdir");
        }
        try (NDManager manager = NDManager.newBaseManager(device.resolve())) {
            NDArray y = Inputs.matrix(manager, source.charges, "charges");
            NDArray q = Inputs.matrix(manager, points, "points");
            NumPy.write(out, PoissonField.normalized(q, y, gamma));
            System.out.println("wrote " + out + " " + q.getShape());
        }
        return 0;
    }

    private int fromRun() throws Exception {
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch-size must be >= 1, got " + batchSize);
        }
        try (Run run = Run.reopen(source.workdir, device.resolve())) {
            NDManager manager = run.trainer().manager();
            NDArray q = Inputs.matrix(manager, points, "points");
            long dim = run.preset().network().sampleShape().size();
            if (q.getShape().get(1) != dim + 1) {
                throw new IllegalArgumentException("points " + points + " have " + q.getShape().get(1) + " columns; the network of "
                        + source.workdir + " takes N = " + dim + " (" + run.preset().network().sampleShape()
                        + ") plus z, so N+1 = " + (dim + 1));
            }
            NDArray z = q.get(new NDIndex(":, {}", dim));
            if (z.lte(0).any().getBoolean()) {
                throw new IllegalArgumentException("points " + points + " have z <= 0 (the last column); the network is "
                        + "conditioned on z > 0 (NCSN++ takes log z)");
            }
            Network field = ema ? run.trainer().emaModel() : run.trainer().currentModel();
            pfgm.util.GradMode.off();
            List<NDArray> parts = new ArrayList<>();
            long s = q.getShape().get(0);
            for (long start = 0; start < s; start += batchSize) {
                NDIndex rows = new NDIndex("{}:{}", start, Math.min(s, start + batchSize));
                NDArray batch = q.get(rows);
                parts.add(Scopes.keep(() -> field.apply(batch.get(new NDIndex(":, :{}", dim)), batch.get(new NDIndex(":, {}", dim)))));
            }
            NDArray v = parts.size() == 1 ? parts.get(0) : NDArrays.concat(new NDList(parts));
            NumPy.write(out, v);
            System.out.printf("wrote %s %s: the network of %s at step %d, %s weights%n", out, v.getShape(), source.workdir,
                    run.trainer().step(), ema ? "EMA" : "current");
        }
        return 0;
    }
}
