package pfgm.plot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import pfgm.ode.Solution;
import pfgm.run.Run;
import pfgm.train.Trainer;

/**
 * Sample grids written while a run trains: 64 EMA samples under samples/step-NNNNNNN.png every
 * {@code train.snapshotEvery} steps and at the last step (seeded by the step). {@code pfgm train}
 * and {@code pfgm ablate} attach it; a notebook may too.
 */
public final class Snapshots implements Trainer.Listener {
    private final Run run;

    private Snapshots(Run run) {
        this.run = run;
    }

    /** Attaches snapshots to the run's trainer when its settings ask for them (snapshotEvery > 0). */
    public static void attach(Run run) {
        if (run.preset().train().snapshotEvery() > 0) {
            run.trainer().addListener(new Snapshots(run));
        }
    }

    @Override
    public void onStep(long step, double loss) {
        var train = run.preset().train();
        if (step % train.snapshotEvery() == 0 || step == train.steps()) {
            write(step);
        }
    }

    private void write(long step) {
        try {
            Solution s = run.sample(64, run.preset().sampling(), step);
            Path png = run.directory().samples().resolve(String.format("step-%07d.png", step));
            Files.createDirectories(png.getParent());
            ImageIO.write(RunCharts.samples(run, s, run.preset().sampling().label()), "png", png.toFile());
            s.y().close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
