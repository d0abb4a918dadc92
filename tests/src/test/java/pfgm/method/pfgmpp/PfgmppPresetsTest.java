package pfgm.method.pfgmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pfgm.config.MethodType;
import pfgm.config.Preset;
import pfgm.config.Presets;
import pfgm.config.Settings;
import pfgm.method.Method;
import pfgm.ode.Solution;
import pfgm.run.Run;
import pfgm.sampling.PredictorCorrectorConfig;
import pfgm.sampling.SamplingConfig;
import pfgm.train.Losses;
import pfgm.train.Trainer;
import pfgm.util.Rng;

/** The PFGM++ presets, their settings' checks, and short runs through the trainer. */
class PfgmppPresetsTest {
    @TempDir
    Path dir;

    @Test
    void presetsCarryTheirSettings() {
        Preset mnist = Presets.named("mnist_small_pfgmpp");
        Preset base = Presets.named("mnist_small");
        assertEquals(MethodType.PFGMPP, mnist.method());
        assertEquals(128, mnist.pfgmpp().D());
        assertEquals(base.network().toString(), mnist.network().toString());
        assertEquals(64, mnist.train().batchSize());
        assertEquals(64, mnist.train().smallBatchSize());
        assertEquals(base.train().lr(), mnist.train().lr());
        assertEquals(base.train().steps(), mnist.train().steps());
        assertEquals("heun-18", mnist.sampling().label());

        Preset toy = Presets.named("toy2d_pfgmpp");
        assertEquals(Presets.named("toy2d").network().toString(), toy.network().toString());
        assertEquals(8, toy.pfgmpp().D());
        assertEquals(2, toy.pfgmpp().sigmaData());
        assertEquals(256, toy.train().batchSize());

        Preset cifar = Presets.named("cifar10_pfgmpp_d2048");
        assertEquals(2048, cifar.pfgmpp().D());
        assertEquals(0.002, cifar.pfgmpp().sigmaMin());
        assertEquals(80, cifar.pfgmpp().sigmaMax());
        assertEquals(7, cifar.pfgmpp().rho());
        assertEquals(512, cifar.train().batchSize());
        assertEquals(1e-3, cifar.train().lr());
        assertEquals(390_625, cifar.train().steps()); // 200 Mimg / 512
        assertEquals(19_531, cifar.train().warmup()); // 10 Mimg / 512
        assertEquals(0.99929047, cifar.train().emaDecay(), 1e-8); // half-life 0.5 Mimg
        assertTrue(cifar.train().gradClip() < 0, "EDM does not clip gradients");
        assertEquals(0.13f, cifar.network().dropout());
        assertEquals("heun-18", cifar.sampling().label());
        assertInstanceOf(Pfgmpp.class, cifar.createMethod());
    }

    /** Each bad setting ends in one IllegalArgumentException that names it. */
    @Test
    void badSettingsEndInOneClearError() {
        Preset toy = Presets.named("toy2d_pfgmpp");
        String[][] cases = {
            {"pfgmpp.D", "0", "D must be > 0"},
            {"pfgmpp.D", "-3", "D must be > 0"},
            {"pfgmpp.D", "NaN", "D must be > 0"},
            {"pfgmpp.sigmaMin", "100", "sigmaMin < sigmaMax"},
            {"pfgmpp.sigmaMin", "0", "sigmaMin < sigmaMax"},
            {"pfgmpp.sigmaMax", "Infinity", "sigmaMax < Infinity"},
            {"pfgmpp.rho", "0", "rho must be > 0"},
            {"pfgmpp.pStd", "0", "pStd"},
            {"pfgmpp.pMean", "NaN", "pMean"},
            {"pfgmpp.sigmaData", "-1", "sigmaData must be > 0"},
            {"sampling.steps", "0", "steps must be >= 1"},
        };
        for (String[] c : cases) {
            var e = assertThrows(IllegalArgumentException.class, () -> Settings.with(toy, c[0], c[1]), c[0] + "=" + c[1]);
            assertTrue(e.getMessage().contains(c[2]), c[0] + "=" + c[1] + ": " + e.getMessage());
        }
        assertEquals(Double.POSITIVE_INFINITY, Settings.with(toy, "pfgmpp.D", "Infinity").pfgmpp().D(), "EDM is allowed");
        Pfgmpp method = (Pfgmpp) toy.createMethod();
        try (NDManager manager = NDManager.newBaseManager()) {
            var pc = SamplingConfig.predictorCorrector(PredictorCorrectorConfig.Predictor.REVERSE_DIFFUSION,
                    PredictorCorrectorConfig.Corrector.LANGEVIN, 0.16, 10).sampler();
            var e = assertThrows(IllegalArgumentException.class, () -> pc.sample(method, (x, l) -> x, 2, manager, 4, new Rng(1),
                    false, f -> {}));
            assertTrue(e.getMessage().contains("pfgmpp samples with an ODE solver"), e.getMessage());
            var shape = assertThrows(IllegalArgumentException.class, () -> method.model(
                    (x, l) -> manager.zeros(new ai.djl.ndarray.types.Shape(4, 3))).apply(manager.zeros(new ai.djl.ndarray.types.Shape(4, 2)),
                    manager.create(new double[] {1, 1, 1, 1})));
            assertTrue(shape.getMessage().contains("another method"), shape.getMessage());
        }
    }

    /**
     * toy2d_pfgmpp for 300 steps (the MLP, labels sigma^(1/4)) and mnist_small_pfgmpp for 3 (the
     * DDPM U-Net, labels c_noise): finite losses, the toy's loss on a fixed batch with fixed draws
     * falls (slowly: 2.625 to 2.603 here; it plateaus for about 500 steps, then reaches 2.27 by step
     * 1,000), and the runs sample with EDM's Heun (NFE 35).
     */
    @Test
    void shortRunsTrainAndSample() throws Exception {
        List<Double> losses = new ArrayList<>();
        try (Run run = Run.open("toy2d_pfgmpp", Map.of("train.steps", "300", "snapshotEvery", "0"), dir.resolve("toy"),
                Device.cpu());
                NDManager manager = NDManager.newBaseManager()) {
            run.trainer().addListener(new Trainer.Listener() {
                @Override
                public void onStep(long step, double loss) {
                    losses.add(loss);
                }
            });
            Method method = run.method();
            var batch = pfgm.data.Toy2D.named("eight-gaussians").sample(run.trainer().manager(), 8192, new Rng(3));
            double before = Losses.step(method, run.trainer().currentModel(), batch, new Rng(4)).getFloat();
            run.trainer().train();
            double after = Losses.step(method, run.trainer().currentModel(), batch, new Rng(4)).getFloat();
            Solution s = run.sample(256, run.preset().sampling(), 1);
            assertEquals(35, s.nfe());
            System.out.printf("toy2d_pfgmpp, 300 steps: loss on a fixed batch %.4f -> %.4f%n", before, after);
            assertTrue(losses.stream().allMatch(Double::isFinite), "losses " + losses);
            assertTrue(after < before, "loss on a fixed batch " + before + " -> " + after);
            assertTrue(java.util.Arrays.stream(pfgm.Arrays2.rows(s.y())).flatMapToDouble(java.util.Arrays::stream).allMatch(Double::isFinite));
        }
        List<Double> mnist = new ArrayList<>();
        try (Run run = Run.open("mnist_small_pfgmpp", Map.of("train.steps", "3", "snapshotEvery", "0"), dir.resolve("mnist"),
                Device.cpu())) {
            run.trainer().addListener(new Trainer.Listener() {
                @Override
                public void onStep(long step, double loss) {
                    mnist.add(loss);
                }
            });
            run.trainer().train();
            assertTrue(mnist.size() == 3 && mnist.stream().allMatch(Double::isFinite), "losses " + mnist);
            Solution s = run.sample(2, run.preset().sampling(), 1);
            assertEquals(35, s.nfe());
            assertEquals(256, s.y().getShape().get(1));
        }
    }
}
