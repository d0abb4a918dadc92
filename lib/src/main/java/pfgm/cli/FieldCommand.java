package pfgm.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import pfgm.field.PoissonField;
import pfgm.io.NumPy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "field", mixinStandardHelpOptions = true,
        description = "Write the normalized Poisson field sqrt(N) g / (||g|| + gamma) of the charges at the points.")
final class FieldCommand implements Callable<Integer> {
    @Option(names = "--charges", required = true, description = ".npy (B, N): charges on the z = 0 plane.")
    Path charges;

    @Option(names = "--points", required = true, description = ".npy (S, N+1): augmented points, last column z.")
    Path points;

    @Option(names = "--gamma", defaultValue = "5", description = "Normalization gamma (default: ${DEFAULT-VALUE}).")
    double gamma;

    @Option(names = "--out", required = true, description = "Output .npy (S, N+1), float32.")
    Path out;

    @Mixin
    DeviceOption device;

    @Override
    public Integer call() throws Exception {
        try (NDManager manager = NDManager.newBaseManager(device.resolve())) {
            NDArray y = Inputs.matrix(manager, charges, "charges");
            NDArray q = Inputs.matrix(manager, points, "points");
            NumPy.write(out, PoissonField.normalized(q, y, gamma));
            System.out.println("wrote " + out + " " + q.getShape());
        }
        return 0;
    }
}
