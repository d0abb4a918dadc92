package pfgm.cli;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import pfgm.io.NumPy;
import pfgm.method.pfgm.Prior;
import pfgm.util.Rng;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "prior", mixinStandardHelpOptions = true,
        description = "Sample the prior on the z = z_max plane (radius from the inverse-Beta law, clipped; uniform direction).")
final class PriorCommand implements Callable<Integer> {
    @Option(names = "--n", required = true, description = "Number of samples.")
    int n;

    @Option(names = "--dim", required = true, description = "Data dimension N.")
    int dim;

    @Option(names = "--z-max", required = true, description = "Height of the prior plane.")
    double zMax;

    @Option(names = "--upper-norm", required = true, description = "Radii are clipped to [1, upper_norm].")
    double upperNorm;

    @Option(names = "--seed", defaultValue = "0", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, description = "Output .npy (n, N), float32.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (n < 1) {
            throw new IllegalArgumentException("--n must be >= 1, got " + n);
        }
        Prior prior = new Prior(dim, zMax, upperNorm);
        // cpu: the prior is drawn in Java (Rng) and written to a file: the same numbers on any device.
        try (NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            NumPy.write(out, prior.sample(manager, n, new Rng(seed)));
        }
        System.out.println("wrote " + out + " (" + n + ", " + dim + ")");
        return 0;
    }
}
