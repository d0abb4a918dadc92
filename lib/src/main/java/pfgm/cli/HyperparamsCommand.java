package pfgm.cli;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import pfgm.method.pfgm.Hyperparameters;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "hyperparams", mixinStandardHelpOptions = true,
        description = "Print M, z_max and upper_norm for a data set (the paper's appendix B.1/B.2 rules).")
final class HyperparamsCommand implements Callable<Integer> {

    static final class Norm {
        @Option(names = "--data-norm", required = true, description = "Average Euclidean norm of the scaled data.")
        Double value;

        @Option(names = "--data", required = true, description = "Measure the average norm of this .npy array (n, N) or (n, C, H, W).")
        Path file;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Norm norm;

    @Option(names = "--data-dim", description = "Data dimension N (taken from --data when given).")
    Integer dataDim;

    @Option(names = "--sigma", defaultValue = "0.01", description = "Kernel sigma (default: ${DEFAULT-VALUE}).")
    double sigma;

    @Option(names = "--tau", defaultValue = "0.03", description = "Kernel tau (default: ${DEFAULT-VALUE}).")
    double tau;

    @Override
    public Integer call() {
        double dataNorm;
        int dim;
        if (norm.file != null) {
            // cpu: one pass of norms over a file, printed as text; nothing a GPU would speed up.
            try (NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu())) {
                var data = Inputs.matrix(manager, norm.file, "data");
                dataNorm = Hyperparameters.averageNorm(data);
                dim = Math.toIntExact(data.getShape().get(1));
            }
        } else {
            if (dataDim == null) {
                throw new IllegalArgumentException("--data-dim is required with --data-norm");
            }
            dataNorm = norm.value;
            dim = dataDim;
        }
        Hyperparameters hp = Hyperparameters.forData(dataNorm, dim, sigma, tau);
        System.out.printf("data norm %.4f, dimension %d, sigma %s, tau %s%n", dataNorm, dim, sigma, tau);
        System.out.printf("M          %d%nz_max      %.4f%nupper_norm %.4f%n", hp.M(), hp.zMax(), hp.upperNorm());
        return 0;
    }
}
