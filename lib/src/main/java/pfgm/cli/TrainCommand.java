package pfgm.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import pfgm.train.Metrics;
import pfgm.train.Run;
import pfgm.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a preset in a work directory; resumes when the directory holds a checkpoint.",
            "Writes checkpoint.npz, metrics.csv, preset.txt, run.properties and samples/step-*.png there."})
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--preset", required = true, description = "Preset name (see 'pfgm presets').")
    String preset;

    @Option(names = "--workdir", required = true, description = "Work directory of the run.")
    Path workdir;

    @Option(names = "--steps", description = "Train until this many steps (default: the preset's).")
    Integer steps;

    @Option(names = "--set", description = "Override a setting, e.g. --set lr=1e-3 --set network.nf=64 (repeatable).")
    List<String> settings = new ArrayList<>();

    @Mixin
    DeviceOption device;

    @Override
    public Integer call() throws Exception {
        Map<String, String> overrides = Run.overrides(settings);
        if (steps != null) {
            overrides.put("train.steps", Integer.toString(steps));
        }
        try (Run run = Run.open(preset, overrides, workdir, device.resolve())) {
            Trainer trainer = run.trainer();
            long total = run.preset().train().steps();
            System.out.printf("%s: step %d of %d, %,d parameters%n", preset, trainer.step(), total,
                    pfgm.nn.Networks.parameterCount(trainer.network()));
            try (ProgressBar bar = new ProgressBarBuilder().setTaskName("train " + preset).setInitialMax(total)
                    .startsFrom(trainer.step(), java.time.Duration.ZERO).continuousUpdate().build()) {
                trainer.addListener(new Trainer.Listener() {
                    @Override
                    public void onStep(long step, double loss) {
                        bar.stepTo(step);
                    }

                    @Override
                    public void onLog(Metrics.Row row, Metrics metrics) {
                        bar.setExtraMessage(String.format(" loss %.4g", row.loss()));
                    }
                });
                trainer.train();
            }
            System.out.printf("done: %d steps; checkpoint, metrics.csv and samples/ in %s%n", trainer.step(), workdir);
        }
        return 0;
    }
}
