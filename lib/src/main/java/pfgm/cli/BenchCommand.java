package pfgm.cli;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import pfgm.bench.FieldBenchmark;
import pfgm.bench.PytorchComparison;
import pfgm.bench.SamplingBenchmark;
import pfgm.bench.ThreadsBenchmark;
import pfgm.bench.TrainBenchmark;
import pfgm.experiment.DeviceCheck;
import pfgm.run.RunSettings;
import pfgm.sampling.Solver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks that print a table (median of several runs, compared in the same run).",
        subcommands = {BenchCommand.Field.class, BenchCommand.Train.class, BenchCommand.Pytorch.class, BenchCommand.Sample.class,
            BenchCommand.Threads.class, BenchCommand.Trace.class, BenchCommand.Devices.class})
final class BenchCommand {

    @Command(name = "field", mixinStandardHelpOptions = true,
            description = {"Time the normalized-field training target (float64) against the official broadcast formulation",
                "and against its own float32 form, whose largest error it prints.",
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

        @Mixin
        DeviceOption device;

        @Override
        public Integer call() {
            try (NDManager manager = NDManager.newBaseManager(device.resolve())) {
                FieldBenchmark.Result result = new FieldBenchmark(points, charges, dim, runs, seed).run(manager);
                System.out.println(result.table().printAll());
                System.out.printf("agreement: smallest cosine similarity between the library's and the official code's"
                        + " targets %.7f; largest relative error of the float32 target %.3g%n", result.minCosine(),
                        result.float32Error());
                if (csv != null) {
                    result.table().write().csv(csv.toFile());
                    System.out.println("wrote " + csv);
                }
            }
            return 0;
        }
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = {"Median milliseconds per training step of a preset, split into data, field target (the method's",
                "own work), forward, backward and optimizer (clip + Adam + EMA)."})
    static final class Train implements Callable<Integer> {
        @Mixin
        PresetOptions preset;

        @Option(names = "--synthetic", description = "Random images of the preset's shape instead of its data set "
                + "(any preset, e.g. cifar10_ddpmpp without CIFAR-10).")
        boolean synthetic;

        @Option(names = "--trace", description = "Also run PyTorch's profiler over the timed steps: write its Chrome trace "
                + "(chrome://tracing) to this file and print the operators with the most self time per step.")
        Path trace;

        @Option(names = "--steps", defaultValue = "10", description = "Timed steps after one warm-up (default: ${DEFAULT-VALUE}).")
        int steps;

        @Option(names = "--csv", description = "Also save the table as CSV.")
        Path csv;

        @Mixin
        TrainingDevicesOption devices;

        @Override
        public Integer call() throws Exception {
            if (steps < 1) {
                throw new IllegalArgumentException("--steps must be >= 1, got " + steps);
            }
            var table = new TrainBenchmark(preset.runSettings(), steps, devices.resolve(), synthetic, trace).run();
            System.out.println(table.printAll());
            if (trace != null) {
                System.out.println(pfgm.bench.TraceSummary.read(trace, steps).table(20).printAll());
                System.out.println("wrote " + trace);
            }
            if (csv != null) {
                table.write().csv(csv.toFile());
            }
            return 0;
        }
    }

    @Command(name = "pytorch", mixinStandardHelpOptions = true,
            description = {"The network part of a training step (forward, backward, clip + Adam + EMA) against the same",
                "network in PyTorch eager: the official models/ncsnpp.py run by " + PytorchComparison.SCRIPT + ",",
                "one PyTorch step after each of the kit's, with the same batch and intra-op threads; prints both and",
                "their ratio (the median of the step-by-step ratios, and of each side's medians).",
                "Needs Python 3 with torch (Debian's python3-torch) and a checkout of the official PFGM code.",
                "Not part of the test suite."})
    static final class Pytorch implements Callable<Integer> {
        /** The preset's data set is not needed. */
        @Mixin
        PresetOptions preset;

        @Option(names = "--steps", defaultValue = "10", description = "Timed steps per round and side, after one warm-up (default: ${DEFAULT-VALUE}).")
        int steps;

        @Option(names = "--rounds", defaultValue = "2", description = "Fresh kit networks, each trained --steps steps (default: ${DEFAULT-VALUE}).")
        int rounds;

        @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "Python with torch (default: ${DEFAULT-VALUE}).")
        Path python;

        @Option(names = "--official-code", description = "Checkout of Newbeeer/Poisson_flow (default: $PFGM_OFFICIAL_CODE).")
        Path officialCode;

        @Option(names = "--script", description = "The PyTorch side (default: the kit's " + PytorchComparison.SCRIPT + ").")
        Path script;

        @Option(names = "--csv", description = "Also save the table as CSV.")
        Path csv;

        @Override
        public Integer call() throws Exception {
            if (steps < 1 || rounds < 1) {
                throw new IllegalArgumentException("--steps and --rounds must be >= 1");
            }
            Path official = officialCode;
            if (official == null && System.getenv("PFGM_OFFICIAL_CODE") != null) {
                official = Path.of(System.getenv("PFGM_OFFICIAL_CODE"));
            }
            var comparison = new PytorchComparison(preset.runSettings(), steps, rounds,
                    new PytorchComparison.Python(python, script != null ? script : PytorchComparison.defaultScript(), official));
            var result = comparison.run();
            var table = PytorchComparison.table(result);
            System.out.println(table.printAll());
            System.out.printf(java.util.Locale.ROOT, "network part, median of the step-by-step ratios kit / PyTorch: %.3f%n",
                    result.pairedRatio());
            if (csv != null) {
                table.write().csv(csv.toFile());
            }
            return 0;
        }
    }

    @Command(name = "sample", mixinStandardHelpOptions = true,
            description = {"Milliseconds per field evaluation when sampling (the EMA network through the method's sampler,",
                "as pfgm sample runs it) against the network's bare forward pass at the same batch: the solver's overhead.",
                "Uses the preset's freshly initialized network; no run or data set is needed."})
    static final class Sample implements Callable<Integer> {
        @Mixin
        PresetOptions preset;

        @Option(names = "--solver", defaultValue = "euler", description = "euler, heun or rk45 (default: ${DEFAULT-VALUE}).")
        String solver;

        @Option(names = "--steps", defaultValue = "20", description = "Solver steps of euler and heun (default: ${DEFAULT-VALUE}).")
        int steps;

        @Option(names = "--batch", defaultValue = "64", description = "Samples drawn together (default: ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--runs", defaultValue = "3", description = "Timed sampling runs after one warm-up (default: ${DEFAULT-VALUE}).")
        int runs;

        @Mixin
        DeviceOption device;

        @Override
        public Integer call() throws Exception {
            if (batch < 1 || runs < 1) {
                throw new IllegalArgumentException("--batch and --runs must be >= 1");
            }
            RunSettings settings = preset.runSettings();
            var sampling = settings.resolve().sampling().withSolver(Solver.parse(solver), steps);
            var result = new SamplingBenchmark(settings, sampling, batch, runs, device.resolve()).run();
            System.out.println(SamplingBenchmark.table(result).printAll());
            return 0;
        }
    }

    @Command(name = "threads", mixinStandardHelpOptions = true,
            description = {"The kit and PyTorch eager (the official network, " + PytorchComparison.SCRIPT + ") at one thread",
                "and at every physical core, the kit with both OpenMP wait policies: the network part of a training step",
                "and a bare forward pass at the training batch (the kit also its sampler per field evaluation). Each",
                "setup runs in a process of its own, one at a time, alternating within every round; the table gives the",
                "median over rounds and each side's ratio to PyTorch at every core, its default.",
                "Needs Python 3 with torch (Debian's python3-torch) and a checkout of the official PFGM code.",
                "Example: pfgm bench threads --preset mnist_small --set network.kind=DDPMPP --official-code ~/Poisson_flow"})
    static final class Threads implements Callable<Integer> {
        @Mixin
        PresetOptions preset;

        @Option(names = "--steps", defaultValue = "10", description = "Timed training steps per process, after one warm-up "
                + "(default: ${DEFAULT-VALUE}).")
        int steps;

        @Option(names = "--rounds", defaultValue = "3", description = "Times every setup runs (default: ${DEFAULT-VALUE}).")
        int rounds;

        @Option(names = "--busy", defaultValue = "0", description = "Threads of other work that spin during the benchmark, "
                + "as on a shared machine (default: ${DEFAULT-VALUE}).")
        int busy;

        @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "Python with torch (default: ${DEFAULT-VALUE}).")
        Path python;

        @Option(names = "--official-code", description = "Checkout of Newbeeer/Poisson_flow (default: $PFGM_OFFICIAL_CODE).")
        Path officialCode;

        @Option(names = "--csv", description = "Also save the table as CSV.")
        Path csv;

        @Override
        public Integer call() throws Exception {
            Path official = officialCode != null ? officialCode
                    : System.getenv("PFGM_OFFICIAL_CODE") != null ? Path.of(System.getenv("PFGM_OFFICIAL_CODE")) : null;
            var benchmark = new ThreadsBenchmark(preset.runSettings(), steps, rounds, busy,
                    new PytorchComparison.Python(python, PytorchComparison.defaultScript(), official));
            var table = ThreadsBenchmark.table(benchmark.run(System.err::println));
            System.out.println(table.printAll());
            // cpu: the table times CPU threads, so it names the CPU model
            System.out.println("machine: " + pfgm.util.Devices.describe(ai.djl.Device.cpu()));
            if (csv != null) {
                table.write().csv(csv.toFile());
                System.out.println("wrote " + csv);
            }
            return 0;
        }
    }

    @Command(name = "devices", mixinStandardHelpOptions = true,
            description = {"Train, sample and score (FID) a preset on two devices from one shared first step, and compare:",
                "the first step's loss, the loss curves as window means, the FIDs, each within its tolerance, and the",
                "speed-up. Prints a verdict; exits 1 when the devices differ. environment/gpu-check runs it as gpu,cpu.",
                "Runs (a shared start, then one folder per device) stay in --workdir."})
    static final class Devices implements Callable<Integer> {
        @Mixin
        PresetOptions preset;

        @Option(names = "--devices", defaultValue = "gpu,cpu", description = "The device checked, then the reference "
                + "(default: ${DEFAULT-VALUE}).")
        String devices;

        @Option(names = "--steps", defaultValue = "300", description = "Training steps after the shared first one "
                + "(default: ${DEFAULT-VALUE}).")
        int steps;

        @Option(names = "--n", defaultValue = "1000", description = "Samples drawn and scored on each device (default: ${DEFAULT-VALUE}).")
        int n;

        @Option(names = "--batch-size", defaultValue = "250", description = "Sampling and feature batch (default: ${DEFAULT-VALUE}).")
        int batchSize;

        @Option(names = "--sampler", description = "A sampler such as euler-100 or rk45 (default: the preset's).")
        String sampler;

        @Option(names = "--seed", defaultValue = "0", description = "Seed of the samples (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--workdir", required = true, description = "Where the runs go.")
        Path workdir;

        @Option(names = "--first-loss-tolerance", defaultValue = "0.01", description = "Relative difference allowed in the "
                + "first step's loss (default: ${DEFAULT-VALUE}).")
        double firstLoss;

        @Option(names = "--window", defaultValue = "50", description = "Steps per window of the loss curves (default: ${DEFAULT-VALUE}).")
        int window;

        @Option(names = "--loss-tolerance", defaultValue = "0.1", description = "Relative difference allowed in a window's "
                + "mean loss (default: ${DEFAULT-VALUE}).")
        double windowLoss;

        @Option(names = "--fid-tolerance", defaultValue = "0.1", description = "Relative difference allowed in the FID "
                + "(default: ${DEFAULT-VALUE}).")
        double fid;

        @Override
        public Integer call() throws Exception {
            String[] names = devices.split(",");
            if (names.length != 2) {
                throw new IllegalArgumentException("--devices takes two devices, the one checked and the reference, such as "
                        + "gpu,cpu; got '" + devices + "'");
            }
            ai.djl.Device tested = pfgm.util.Devices.resolve(names[0].strip());
            ai.djl.Device reference = pfgm.util.Devices.resolve(names[1].strip());
            var tolerances = new DeviceCheck.Tolerances(firstLoss, window, windowLoss, fid);
            var check = new DeviceCheck(new DeviceCheck.Plan(preset.runSettings(), steps, n, batchSize, sampler, seed), workdir);
            check.start();
            System.err.println("bench devices: training, sampling and scoring on " + pfgm.util.Devices.describe(tested));
            var a = check.run(tested, "1-" + names[0].strip().replace(':', '-'));
            System.err.println("bench devices: the same on " + pfgm.util.Devices.describe(reference));
            var b = check.run(reference, "2-" + names[1].strip().replace(':', '-'));
            var verdict = DeviceCheck.compare(a, b, tolerances);
            System.out.println(verdict.curves().printAll());
            verdict.lines().forEach(System.out::println);
            return verdict.agree() ? 0 : 1;
        }
    }

    @Command(name = "trace", mixinStandardHelpOptions = true,
            description = {"Sum up a PyTorch profiler trace per step: operator calls (top-level ones are the native calls a",
                "step makes) and the operators with the most self time. Reads bench train --trace files and those of",
                PytorchComparison.SCRIPT + " --trace (torch.autograd.profiler)."})
    static final class Trace implements Callable<Integer> {
        @picocli.CommandLine.Parameters(index = "0", description = "The trace (Chrome trace JSON).")
        Path file;

        @Option(names = "--steps", required = true, description = "Training steps the trace covers.")
        int steps;

        @Option(names = "--rows", defaultValue = "20", description = "Operators to list (default: ${DEFAULT-VALUE}).")
        int rows;

        @Override
        public Integer call() throws Exception {
            if (steps < 1 || !java.nio.file.Files.isRegularFile(file)) {
                throw new IllegalArgumentException("need an existing trace file and --steps >= 1");
            }
            System.out.println(pfgm.bench.TraceSummary.read(file, steps).table(rows).printAll());
            return 0;
        }
    }
}
