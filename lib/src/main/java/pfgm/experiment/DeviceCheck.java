package pfgm.experiment;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import pfgm.config.Preset;
import pfgm.eval.Evaluation;
import pfgm.io.Folders;
import pfgm.ode.Solution;
import pfgm.run.Run;
import pfgm.run.RunSettings;
import pfgm.train.Trainer;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * One training, sampling and scoring on two devices, compared: what environment/gpu-check runs
 * with a GPU against the CPU (docs/scale-out.md).
 *
 * <p>Both sides resume from one checkpoint written after a first step on the CPU, so they start from
 * the same weights (the CPU's and a GPU's generators draw different initial weights from one seed),
 * and then see the same batches, perturbations and prior draws, which come from Java ({@code Rng}).
 * What still differs is the devices' rounding, which training compounds: the first step's losses
 * must agree to rounding, later losses are compared as means over windows of steps, and the FIDs
 * (each side's samples scored by the feature network on its own device) as a relative difference.
 */
public final class DeviceCheck {
    /**
     * What both sides do.
     *
     * @param settings the run's preset and overrides (dropout off makes the first step comparable:
     *     its masks come from the device's generator)
     * @param steps training steps after the shared first one
     * @param samples samples drawn and scored by FID against the run's test split
     * @param sampler a sampler label ("euler-100", "rk45"), or null for the preset's
     */
    public record Plan(RunSettings settings, int steps, int samples, int batchSize, String sampler, long seed) {
        public Plan {
            if (steps < 1 || samples < 2 || batchSize < 1) {
                throw new IllegalArgumentException("the check needs steps >= 1, samples >= 2 and a batch size >= 1; got "
                        + steps + ", " + samples + " and " + batchSize);
            }
        }
    }

    /**
     * How far apart two devices' numbers may be, each as a relative difference.
     *
     * @param firstLoss the loss of the first step after the shared start: same weights, same batch,
     *     so only the kernels' rounding (1% leaves room for TF32 convolutions, cuDNN's default on
     *     recent GPUs)
     * @param window steps per window of the loss curves
     * @param windowLoss the mean loss of every window
     * @param fid the FIDs
     */
    public record Tolerances(double firstLoss, int window, double windowLoss, double fid) {
        /** Chosen, not yet measured on a GPU (docs/scale-out.md). */
        public static final Tolerances DEFAULT = new Tolerances(0.01, 50, 0.1, 0.1);

        public Tolerances {
            if (!(firstLoss >= 0 && windowLoss >= 0 && fid >= 0) || window < 1) {
                throw new IllegalArgumentException("tolerances must be >= 0 and the window >= 1 step");
            }
        }
    }

    /** One device's numbers: the loss of each step after the shared first one, the FID, and the seconds each part took. */
    public record Side(String device, double[] losses, double fid, double trainSeconds, double sampleSeconds,
            double scoreSeconds) {}

    /** Whether the devices agree, a line per comparison, and the loss curves as window means. */
    public record Verdict(boolean agree, List<String> lines, Table curves) {}

    private final Plan plan;
    private final Path workdir;

    /** Runs in {@code workdir}: the shared start in start/, each side in a folder of its own. */
    public DeviceCheck(Plan plan, Path workdir) {
        this.plan = plan;
        this.workdir = workdir;
    }

    /** Trains the shared first step on the CPU into start/ (nothing when it is there). */
    public void start() throws IOException {
        // cpu: either device could write the start; the CPU is the one every machine has.
        try (Run run = Run.open(plan.settings().with("train.steps", "1"), workdir.resolve("start"), Device.cpu())) {
            run.trainer().train();
        }
    }

    /** Trains, samples and scores on {@code device} from a copy of the shared start in {@code folder}. */
    public Side run(Device device, String folder) throws IOException {
        Path dir = workdir.resolve(folder);
        Folders.copy(workdir.resolve("start"), dir);
        try (Run run = Run.open(plan.settings().with("train.steps", Integer.toString(1 + plan.steps())), dir, device);
                ImageScorer scorer = new ImageScorer(Set.of(Evaluation.Metric.FID), null, plan.batchSize(), device)) {
            List<Double> losses = new ArrayList<>();
            run.trainer().addListener(new Trainer.Listener() {
                @Override
                public void onStep(long step, double loss) {
                    losses.add(loss);
                }
            });
            long began = System.nanoTime();
            run.trainer().train(); // every step reads its loss back, so a GPU's work is done when it returns
            long trained = System.nanoTime();
            Preset settings = plan.sampler() == null ? run.preset() : run.preset().withSampler(plan.sampler());
            Solution solution = run.sample(plan.samples(), settings, plan.seed(), plan.batchSize(), fraction -> {});
            NDArray samples = solution.y();
            samples.max().getFloat(); // waits for a GPU's sampling kernels, so that they count as sampling
            long sampled = System.nanoTime();
            double fid = scorer.score(run, samples, plan.seed(), fraction -> {})[0];
            long scored = System.nanoTime();
            return new Side(device.toString(), losses.stream().mapToDouble(Double::doubleValue).toArray(), fid,
                    (trained - began) / 1e9, (sampled - trained) / 1e9, (scored - sampled) / 1e9);
        }
    }

    /** Compares {@code tested} (the GPU) with {@code reference} (the CPU). */
    public static Verdict compare(Side tested, Side reference, Tolerances tolerances) {
        List<String> lines = new ArrayList<>();
        boolean agree = true;
        String a = tested.device();
        String b = reference.device();
        double[] x = tested.losses();
        double[] y = reference.losses();
        Table curves = Table.create("mean loss per window of " + tolerances.window() + " steps after the shared first step");
        if (x.length != y.length || x.length == 0 || !allFinite(x) || !allFinite(y)) {
            lines.add(String.format(Locale.ROOT, "losses: %d steps on %s, %d on %s, %s: FAIL", x.length, a, y.length, b,
                    allFinite(x) && allFinite(y) ? "all finite" : "not all finite"));
            agree = false;
        } else {
            double first = relative(x[0], y[0]);
            boolean firstOk = first <= tolerances.firstLoss();
            lines.add(String.format(Locale.ROOT, "first step after the shared start: loss %.6g on %s, %.6g on %s, %s apart "
                    + "(at most %s): %s", x[0], a, y[0], b, percent(first), percent(tolerances.firstLoss()), ok(firstOk)));
            List<Integer> ends = new ArrayList<>();
            List<Double> meansA = new ArrayList<>();
            List<Double> meansB = new ArrayList<>();
            List<Double> apart = new ArrayList<>();
            for (int start = 0; start < x.length; start += tolerances.window()) {
                int end = Math.min(x.length, start + tolerances.window());
                double ma = mean(x, start, end);
                double mb = mean(y, start, end);
                ends.add(end + 1); // steps are counted from the shared first one
                meansA.add(ma);
                meansB.add(mb);
                apart.add(relative(ma, mb));
            }
            double worst = apart.stream().mapToDouble(Double::doubleValue).max().orElse(0);
            int worstAt = ends.get(apart.indexOf(worst));
            boolean curvesOk = worst <= tolerances.windowLoss();
            lines.add(String.format(Locale.ROOT, "loss curves, %d window(s) of up to %d steps: at most %s apart (up to step "
                    + "%d; at most %s): %s", ends.size(), tolerances.window(), percent(worst), worstAt,
                    percent(tolerances.windowLoss()), ok(curvesOk)));
            curves.addColumns(IntColumn.create("up to step", ends.stream().mapToInt(Integer::intValue).toArray()),
                    DoubleColumn.create("loss on " + a + ", checked", meansA),
                    DoubleColumn.create("loss on " + b + ", reference", meansB),
                    DoubleColumn.create("apart", apart));
            agree &= firstOk && curvesOk;
        }
        double fidApart = relative(tested.fid(), reference.fid());
        boolean fidOk = fidApart <= tolerances.fid();
        lines.add(String.format(Locale.ROOT, "FID %.6g on %s, %.6g on %s, %s apart (at most %s): %s", tested.fid(), a,
                reference.fid(), b, percent(fidApart), percent(tolerances.fid()), ok(fidOk)));
        agree &= fidOk;
        lines.add(String.format(Locale.ROOT, "speed-up of %s over %s: training %.3gx (%.1f s against %.1f s), sampling %.3gx, "
                + "scoring %.3gx", a, b, reference.trainSeconds() / tested.trainSeconds(), tested.trainSeconds(),
                reference.trainSeconds(), reference.sampleSeconds() / tested.sampleSeconds(),
                reference.scoreSeconds() / tested.scoreSeconds()));
        lines.add("verdict: " + (agree ? "PASS, " + a + " and " + b + " agree" : "FAIL, " + a + " and " + b + " differ (above)"));
        return new Verdict(agree, lines, curves);
    }

    /** |a - b| / |b|; NaN when either is not finite, which no tolerance accepts. */
    private static double relative(double a, double b) {
        if (!Double.isFinite(a) || !Double.isFinite(b)) {
            return Double.NaN;
        }
        return a == b ? 0 : Math.abs(a - b) / Math.abs(b);
    }

    private static boolean allFinite(double[] values) {
        return java.util.Arrays.stream(values).allMatch(Double::isFinite);
    }

    private static double mean(double[] values, int start, int end) {
        double sum = 0;
        for (int i = start; i < end; i++) {
            sum += values[i];
        }
        return sum / (end - start);
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.3g%%", 100 * fraction);
    }

    private static String ok(boolean ok) {
        return ok ? "ok" : "FAIL";
    }
}
