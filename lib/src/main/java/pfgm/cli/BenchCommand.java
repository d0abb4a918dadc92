package pfgm.cli;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import pfgm.bench.FieldBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks that print a table (median of several runs, compared in the same run).",
        subcommands = {BenchCommand.Field.class, BenchCommand.Train.class})
final class BenchCommand {

    @Command(name = "field", mixinStandardHelpOptions = true,
            description = {"Time the normalized-field training target against the official broadcast formulation.",
                "The default is CIFAR-10 scale; the broadcast method then needs about 13 GB of memory."})
    static final class Field implements Callable<Integer> {
        @Option(names = "--points", defaultValue = "128", description = "S, perturbed query points (default: ${DEFAULT-VALUE}).")
        int points;

        @Option(names = "--charges", defaultValue = "4096", description = "B, charges (default: ${DEFAULT-VALUE}).")
        int charges;

        @Option(names = "--dim", defaultValue = "3072", description = "N, data dimension (default: ${DEFAULT-VALUE}).")
        int dim;

        @Option(names = "--runs", defaultValue = "5", description = "Timed runs after one warm-up (default: ${DEFAULT-VALUE}).")
        int runs;

        @Option(names = "--seed", defaultValue = "0", description = "Random seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--csv", description = "Also save the table as CSV.")
        Path csv;

        @Override
        public Integer call() {
            try (NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu())) {
                FieldBenchmark.Result result = new FieldBenchmark(points, charges, dim, runs, seed).run(manager);
                System.out.println(result.table().printAll());
                System.out.printf("agreement: smallest cosine similarity between the two targets %.7f%n", result.minCosine());
                if (csv != null) {
                    result.table().write().csv(csv.toFile());
                    System.out.println("wrote " + csv);
                }
            }
            return 0;
        }
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Median milliseconds per training step of a preset, split into field target and network.")
    static final class Train implements Callable<Integer> {
        @Option(names = "--preset", required = true, description = "Preset name (see 'pfgm presets').")
        String preset;

        @Option(names = "--steps", defaultValue = "10", description = "Timed steps after one warm-up (default: ${DEFAULT-VALUE}).")
        int steps;

        @Option(names = "--set", description = "Override a setting (repeatable), e.g. --set batchSize=256.")
        java.util.List<String> settings = new java.util.ArrayList<>();

        @Option(names = "--csv", description = "Also save the table as CSV.")
        Path csv;

        @picocli.CommandLine.Mixin
        DeviceOption device;

        @Override
        public Integer call() throws Exception {
            if (steps < 1) {
                throw new IllegalArgumentException("--steps must be >= 1, got " + steps);
            }
            var table = new pfgm.bench.TrainBenchmark(preset, pfgm.train.Run.overrides(settings), steps, device.resolve()).run();
            System.out.println(table.printAll());
            if (csv != null) {
                table.write().csv(csv.toFile());
            }
            return 0;
        }
    }
}
