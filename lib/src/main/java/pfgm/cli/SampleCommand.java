package pfgm.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import pfgm.config.Preset;
import pfgm.io.NumPy;
import pfgm.method.pfgm.Hyperparameters;
import pfgm.method.pfgm.OracleField;
import pfgm.method.pfgm.Pfgm;
import pfgm.method.pfgm.PfgmConfig;
import pfgm.method.pfgm.PoissonFlow;
import pfgm.ode.Solution;
import pfgm.plot.RunCharts;
import pfgm.run.Run;
import pfgm.sampling.OdeSampler;
import pfgm.sampling.SamplingConfig;
import pfgm.util.Rng;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "sample", mixinStandardHelpOptions = true,
        description = {"Sample with a trained run (--workdir), any method, or with the exact PFGM field of a small data set "
                + "(--oracle); print the NFE.",
            "Sampler settings default to the run's preset; for the oracle, to the paper's RK45 with z_max and upper_norm "
                + "from the hyper-parameter rules applied to its data.",
            "--out X.npy writes the samples; --out X.png writes an image grid (or a scatter plot for 2-D data)."})
final class SampleCommand implements Callable<Integer> {
    /** What sampling with the oracle field needs: the sampler and PFGM's settings. */
    record OracleSettings(SamplingConfig sampling, PfgmConfig pfgm) {}

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
            OracleSettings settings = sampling.apply(new OracleSettings(SamplingConfig.paper(),
                    PfgmConfig.forData(Hyperparameters.averageNorm(data), dim).withGamma(gamma)));
            Pfgm pfgm = new Pfgm(settings.pfgm());
            long began = System.nanoTime();
            Solution solution;
            try (ProgressBar bar = Progress.fraction("sampling " + settings.sampling().label())) {
                solution = settings.sampling().sampler().sample(pfgm, new OracleField(data, gamma), dim, manager, n,
                        new Rng(sampling.seed), pathOut != null, Progress.to(bar));
            }
            double seconds = (System.nanoTime() - began) / 1e9;
            NumPy.write(out, solution.y());
            if (pathOut != null) {
                NumPy.write(pathOut, NDArrays.stack(new NDList(solution.path())));
                var solver = ((OdeSampler) settings.sampling().sampler()).solver(); // PFGM samples with ODE solvers only
                double[] z = solution.times().stream().mapToDouble(t -> PoissonFlow.height(t, solver)).toArray();
                NumPy.write(Path.of(pathOut.toString().replaceFirst("\\.npy$", "") + ".z.npy"), manager.create(z));
            }
            System.out.printf("solver %s, NFE %d, %.2f s, z_max %.4f, upper_norm %.4f%nwrote %s (%d, %d)%n",
                    settings.sampling().label(), solution.nfe(), seconds, settings.pfgm().zMax(), settings.pfgm().upperNorm(),
                    out, n, dim);
        }
        return 0;
    }

    private int fromRun() throws Exception {
        try (Run run = Run.reopen(source.workdir, device.resolve())) {
            Preset settings = sampling.apply(run.preset());
            long began = System.nanoTime();
            Solution solution;
            try (ProgressBar bar = Progress.fraction("sampling " + settings.sampling().label())) {
                solution = run.sample(n, settings, sampling.seed, n, Progress.to(bar));
            }
            double seconds = (System.nanoTime() - began) / 1e9;
            if (out.toString().endsWith(".png")) {
                javax.imageio.ImageIO.write(RunCharts.samples(run, solution, settings.sampling().label()), "png", out.toFile());
            } else {
                NumPy.write(out, solution.y());
            }
            System.out.printf("run at step %d (%s), solver %s, NFE %d, %.2f s%nwrote %s%n", run.trainer().step(),
                    settings.method(), settings.sampling().label(), solution.nfe(), seconds, out);
        }
        return 0;
    }
}
