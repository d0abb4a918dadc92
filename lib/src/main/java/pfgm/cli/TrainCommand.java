package pfgm.cli;

import ai.djl.Device;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import pfgm.plot.Snapshots;
import pfgm.run.Run;
import pfgm.run.RunSettings;
import pfgm.train.Metrics;
import pfgm.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a preset in a work directory; resumes when the directory holds a checkpoint.",
            "Writes checkpoint.npz, metrics.csv, preset.txt, run.properties and samples/step-*.png there."})
final class TrainCommand implements Callable<Integer> {
    @Mixin
    PresetOptions preset;

    @Mixin
    WorkdirOption workdir;

    @Option(names = "--steps", description = "Train until this many steps (default: the preset's).")
    Integer steps;

    @Mixin
    TrainingDevicesOption devices;

    @Override
    public Integer call() throws Exception {
        RunSettings settings = preset.runSettings();
        if (steps != null) {
            settings = settings.with("train.steps", Integer.toString(steps));
        }
        List<Device> on = devices.resolve();
        try (Run run = Run.open(settings, workdir.workdir, on)) {
            Snapshots.attach(run);
            Trainer trainer = run.trainer();
            long total = run.preset().train().steps();
            System.out.printf("%s: step %d of %d, %,d parameters%s%n", preset.preset, trainer.step(), total,
                    pfgm.nn.Networks.parameterCount(trainer.network()), on.size() == 1 ? "" : ", a replica on each of " + on);
            try (ProgressBar bar = new ProgressBarBuilder().setTaskName("train " + preset.preset).setInitialMax(total)
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
            System.out.printf("done: %d steps; checkpoint, metrics.csv and samples/ in %s%n", trainer.step(), workdir.workdir);
        }
        return 0;
    }
}
