package pfgm.method.sde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pfgm.config.MethodType;
import pfgm.config.Presets;
import pfgm.method.Method;
import pfgm.run.Fingerprint;
import pfgm.run.Run;
import pfgm.sampling.PredictorCorrectorConfig;
import pfgm.sampling.SamplingConfig;
import pfgm.sampling.Solver;
import pfgm.train.Losses;
import pfgm.train.Trainer;

/** The SDE presets as runs: training lowers the loss, checkpoints keep to their method, bad settings fail clearly. */
class SdeRunTest {
    @TempDir
    Path dir;

    static List<Double> train(Run run) throws Exception {
        return Losses.ofTraining(run.trainer());
    }

    static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    /** toy2d_vp for 300 steps: the mean loss of the last 50 steps is well below that of the first 50. */
    @Test
    void toy2dVpLearns() throws Exception {
        // EMA 0.9: the sampling below sees the trained weights, not the initial ones 0.999^300 = 74% of the average keeps.
        try (Run run = Run.open("toy2d_vp", Map.of("train.steps", "300", "snapshotEvery", "0", "emaDecay", "0.9"), dir,
                Device.cpu())) {
            List<Double> losses = train(run);
            double first = mean(losses.subList(0, 50));
            double last = mean(losses.subList(250, 300));
            System.out.printf("toy2d_vp: mean loss of steps 1-50 %.4f, of steps 251-300 %.4f%n", first, last);
            assertTrue(last < 0.7 * first, "first " + first + ", last " + last);
            // The run samples with the ODE and with pc, through its EMA network.
            var ode = run.sample(64, run.preset().sampling().withSolver(Solver.EULER, 50), 1);
            var pc = run.sample(64, run.preset().sampling().withSolver(Solver.PC, 50), 1);
            assertEquals(50, ode.nfe());
            assertEquals(50, pc.nfe(), "euler_maruyama without a corrector: one score per step");
            assertTrue(ode.y().isInfinite().logicalOr(ode.y().isNaN()).sum().getLong() == 0);
            assertTrue(pc.y().isInfinite().logicalOr(pc.y().isNaN()).sum().getLong() == 0);
        }
    }

    /**
     * A PFGM checkpoint refuses to resume as VP (by --set method=vp, or another preset in the same
     * work directory), and a VP one as VE, each with one message that names both methods; the
     * refused attempt leaves the run's saved settings as they were.
     */
    @Test
    void aCheckpointRefusesAnotherMethod() throws Exception {
        Path pfgmRun = dir.resolve("pfgm");
        try (Run run = Run.open("toy2d", Map.of("train.steps", "2", "snapshotEvery", "0"), pfgmRun, Device.cpu())) {
            train(run);
        }
        String settings = Files.readString(pfgmRun.resolve("run.properties"));
        var asVp = assertThrows(IllegalArgumentException.class,
                () -> Run.open("toy2d", Map.of("train.steps", "2", "snapshotEvery", "0", "method", "vp"), pfgmRun, Device.cpu()));
        assertTrue(asVp.getMessage().contains("was trained with method pfgm, not vp"), asVp.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Run.open("toy2d_vp", Map.of("train.steps", "2"), pfgmRun, Device.cpu()));
        assertEquals(settings, Files.readString(pfgmRun.resolve("run.properties")));
        try (Run reopened = Run.reopen(pfgmRun, Device.cpu())) {
            assertEquals(MethodType.PFGM, reopened.preset().method());
        }

        Path vpRun = dir.resolve("vp");
        try (Run run = Run.open("toy2d_vp", Map.of("train.steps", "2", "snapshotEvery", "0"), vpRun, Device.cpu())) {
            train(run);
        }
        var asVe = assertThrows(IllegalArgumentException.class,
                () -> Run.open("toy2d_ve", Map.of("train.steps", "2", "snapshotEvery", "0"), vpRun, Device.cpu()));
        assertTrue(asVe.getMessage().contains("was trained with method vp, not ve"), asVe.getMessage());
    }

    /**
     * A PFGM checkpoint whose fingerprint holds every method's settings and the sampling settings
     * (as written before those left the fingerprint, and before sde.reduceMean existed) resumes.
     */
    @Test
    void anOlderPfgmCheckpointResumes() throws Exception {
        Path run1 = dir.resolve("old");
        try (Run run = Run.open("toy2d", Map.of("train.steps", "2", "snapshotEvery", "0"), run1, Device.cpu())) {
            train(run);
        }
        var preset = Presets.named("toy2d");
        String old = pfgm.config.Settings.describe(preset.withTrain(preset.train().withoutSchedule())
                .withSampling(SamplingConfig.paper())).replace("sde.reduceMean = true\n", "").replace('\n', ';');
        assertTrue(old.contains("sde.betaMin") && old.contains("sampling.solver") && !old.contains("reduceMean"), old);
        try (var manager = ai.djl.ndarray.NDManager.newBaseManager()) {
            var saved = pfgm.train.Checkpoint.readIfPresent(run1, manager);
            Map<String, String> settings = new java.util.LinkedHashMap<>();
            for (String line : old.split(";")) {
                settings.put(line.substring(0, line.indexOf(" = ")), line.substring(line.indexOf(" = ") + 3));
            }
            new pfgm.train.Checkpoint(new pfgm.train.Checkpoint.Meta(saved.step(), saved.meta().adamUpdates(),
                    saved.meta().emaUpdates(), settings, saved.meta().trainedBy()), saved.arrays()).write(run1);
        }
        try (Run run = Run.open("toy2d", Map.of("train.steps", "3", "snapshotEvery", "0"), run1, Device.cpu())) {
            assertEquals(2, run.trainer().step());
            assertEquals(1, train(run).size());
        }
        // A setting PFGM's training reads still refuses.
        var gamma = assertThrows(IllegalArgumentException.class, () -> Run.open("toy2d",
                Map.of("train.steps", "3", "snapshotEvery", "0", "pfgm.gamma", "1"), run1, Device.cpu()));
        assertTrue(gamma.getMessage().contains("other settings (pfgm.gamma: 0.3 -> 1.0)"), gamma.getMessage());
    }

    @Test
    void badSdeSettingsFailWithOneMessage() throws Exception {
        var sigma = assertThrows(IllegalArgumentException.class,
                () -> pfgm.config.Settings.with(Presets.named("toy2d_ve"), "sde.sigmaMax", "0.001"));
        assertTrue(sigma.getMessage().contains("sigmaMin < sigmaMax"), sigma.getMessage());
        var eps = assertThrows(IllegalArgumentException.class,
                () -> pfgm.config.Settings.with(Presets.named("toy2d_vp"), "sde.sampleEps", "0"));
        assertTrue(eps.getMessage().contains("trainEps and sampleEps must be in (0, 1)"), eps.getMessage());
        var predictor = assertThrows(IllegalArgumentException.class,
                () -> pfgm.config.Settings.with(Presets.named("toy2d_vp"), "sampling.predictor", "ancestral"));
        assertTrue(predictor.getMessage().contains("bad value 'ancestral' for sampling.pc.predictor"), predictor.getMessage());
        try (Run run = Run.open("toy2d_vp", Map.of("train.steps", "0"), dir, Device.cpu())) {
            var oneStep = assertThrows(IllegalArgumentException.class,
                    () -> run.sample(8, SamplingConfig.predictorCorrector(PredictorCorrectorConfig.Predictor.EULER_MARUYAMA, PredictorCorrectorConfig.Corrector.NONE, 0.16, 1), 0));
            assertTrue(oneStep.getMessage().contains("the pc sampler needs steps >= 2"), oneStep.getMessage());
        }
        try (Run run = Run.open("toy2d", Map.of("train.steps", "0"), dir.resolve("pfgm"), Device.cpu())) {
            var pcOnPfgm = assertThrows(IllegalArgumentException.class,
                    () -> run.sample(8, SamplingConfig.predictorCorrector(PredictorCorrectorConfig.Predictor.EULER_MARUYAMA, PredictorCorrectorConfig.Corrector.NONE, 0.16, 10), 0));
            assertTrue(pcOnPfgm.getMessage().contains("the pc sampler needs a diffusion SDE"), pcOnPfgm.getMessage());
        }
    }

    /**
     * An image preset's network trains under its SDE: two steps of mnist_small_ve (the DDPM U-Net
     * with Fourier features of log sigma) on random images. At the start the network's output is
     * near 0, so the loss, half the sum over 256 pixels of z^2, is near 128.
     */
    @Test
    void mnistSmallVeTakesFiniteSteps() throws Exception {
        for (String name : new String[] {"mnist_small_ve"}) {
            var preset = pfgm.config.Settings.with(Presets.named(name), "train.steps", "2");
            Method method = preset.createMethod();
            var shape = preset.network().sampleShape();
            pfgm.train.BatchSource noise = (manager, size, rng) -> rng.uniform(manager, new ai.djl.ndarray.types.Shape(size)
                    .addAll(shape), -1, 1);
            try (Trainer trainer = new Trainer(method, method.network(preset.network()), shape, noise, preset.train(),
                    dir.resolve(name), Fingerprint.of(preset).settings(), Device.cpu())) {
                List<Double> losses = Losses.ofTraining(trainer);
                System.out.println(name + " losses " + losses);
                assertEquals(2, losses.size());
                assertTrue(losses.stream().allMatch(l -> Math.abs(l - 128) < 0.3 * 128), "losses " + losses);
            }
        }
    }
}
