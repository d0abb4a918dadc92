package pfgm.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import pfgm.field.FieldModel;
import pfgm.field.Hyperparameters;
import pfgm.field.OracleField;
import pfgm.io.NumPy;
import pfgm.config.SamplingConfig;
import pfgm.ode.Solution;
import pfgm.sampling.PoissonFlow;
import pfgm.util.Rng;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import pfgm.train.Run;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "sample", mixinStandardHelpOptions = true,
        description = {"Sample with a trained run (--workdir) or the exact field of a small data set (--oracle); print the NFE.",
            "z_max and upper_norm default to the run's preset, or the hyper-parameter rules applied to the oracle data.",
            "--out X.npy writes the samples; --out X.png writes an image grid (or a scatter plot for 2-D data)."})
final class SampleCommand implements Callable<Integer> {
    static final class Source {
        @Option(names = "--oracle", required = true, description = ".npy (B, N) data set whose exact normalized field drives the flow.")
        Path oracle;

        @Option(names = "--workdir", required = true, description = "A trained run (pfgm train): samples with its EMA weights.")
        Path workdir;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--n", required = true, description = "Number of samples.")
    int n;

    @Option(names = "--gamma", defaultValue = "5", description = "Field normalization gamma of the oracle (default: ${DEFAULT-VALUE}).")
    double gamma;

    @Option(names = "--out", required = true, description = "Output .npy (n, N), float32.")
    Path out;

    @Option(names = "--path-out", description = "Also write the trajectory as .npy (steps+1, n, N) and its z values as <name>.z.npy.")
    Path pathOut;

    @Mixin
    SamplingOptions sampling;

    @Mixin
    DeviceOption device;

    @Override
    public Integer call() throws Exception {
        if (n < 1) {
            throw new IllegalArgumentException("--n must be >= 1, got " + n);
        }
        if (source.workdir != null) {
            return fromRun();
        }
        Path oracle = source.oracle;
        try (NDManager manager = NDManager.newBaseManager(device.resolve())) {
            NDArray data = Inputs.matrix(manager, oracle, "oracle data");
            int dim = Math.toIntExact(data.getShape().get(1));
            Hyperparameters hp = Hyperparameters.forData(Hyperparameters.averageNorm(data), dim, 0.01, 0.03);
            SamplingConfig config = sampling.config(hp.zMax(), hp.upperNorm());
            long began = System.nanoTime();
            Solution solution;
            try (ProgressBar bar = Progress.fraction("sampling " + config.odeSolver().name())) {
                FieldModel model = new OracleField(data, gamma).reportingProgress(config.zMax(), config.zMin(),
                        Progress.to(bar));
                solution = PoissonFlow.generate(model, dim, config, gamma, n, manager, new Rng(sampling.seed), pathOut != null);
            }
            double seconds = (System.nanoTime() - began) / 1e9;
            NumPy.write(out, solution.y());
            if (pathOut != null) {
                NumPy.write(pathOut, NDArrays.stack(new NDList(solution.path())));
                double[] z = solution.times().stream().mapToDouble(Math::exp).toArray();
                NumPy.write(Path.of(pathOut.toString().replaceFirst("\\.npy$", "") + ".z.npy"), manager.create(z));
            }
            System.out.printf("solver %s, NFE %d, %.2f s, z_max %.4f, upper_norm %.4f%nwrote %s (%d, %d)%n",
                    config.odeSolver().name(), solution.nfe(), seconds, config.zMax(), config.upperNorm(), out, n, dim);
        }
        return 0;
    }

    private int fromRun() throws Exception {
        try (Run run = Run.reopen(source.workdir, device.resolve())) {
            SamplingConfig preset = run.preset().sampling();
            SamplingConfig config = sampling.config(preset);
            long began = System.nanoTime();
            Solution solution;
            try (ProgressBar bar = Progress.fraction("sampling " + config.odeSolver().name())) {
                solution = run.sample(n, config, sampling.seed, n, Progress.to(bar));
            }
            double seconds = (System.nanoTime() - began) / 1e9;
            if (out.toString().endsWith(".png")) {
                javax.imageio.ImageIO.write(run.picture(solution.y()), "png", out.toFile());
            } else {
                NumPy.write(out, solution.y());
            }
            System.out.printf("run at step %d, solver %s, NFE %d, %.2f s%nwrote %s%n", run.trainer().step(),
                    config.odeSolver().name(), solution.nfe(), seconds, out);
        }
        return 0;
    }
}
