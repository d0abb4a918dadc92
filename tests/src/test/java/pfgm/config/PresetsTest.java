package pfgm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;
import pfgm.method.pfgm.Hyperparameters;
import pfgm.nn.NetworkConfig;
import pfgm.run.Fingerprint;

class PresetsTest {
    @Test
    void paperPresetsCarryTheOfficialSettings() {
        Preset cifar = Presets.named("cifar10_ddpmpp");
        assertEquals(4096, cifar.train().batchSize());
        assertEquals(128, cifar.train().smallBatchSize());
        assertEquals(MethodType.PFGM, cifar.method());
        assertEquals(291, cifar.pfgm().M());
        assertEquals(2e-4, cifar.train().lr());
        assertEquals(5000, cifar.train().warmup());
        assertEquals(0.9999, cifar.train().emaDecay());
        assertEquals(40, cifar.pfgm().zMax());
        assertEquals(3000, cifar.pfgm().upperNorm());
        assertEquals(8, Presets.named("cifar10_ddpmpp_deep").network().numResBlocks());
        assertEquals(356, Presets.named("bedroom_ddpmpp").pfgm().M());
    }

    @Test
    void cpuPresetsFollowTheHyperParameterRules() {
        Preset toy = Presets.named("toy2d");
        Hyperparameters hp = Hyperparameters.forData(Presets.EIGHT_GAUSSIANS_NORM, 2, 0.01, 0.03);
        assertEquals(hp.M(), toy.pfgm().M());
        assertEquals(hp.zMax(), toy.pfgm().zMax(), 1e-12);
        Preset mnist = Presets.named("mnist_small");
        Hyperparameters mnistHp = Hyperparameters.forData(Presets.MNIST_NORM * 16 / 28, 256, 0.01, 0.03);
        assertEquals(mnistHp.M(), mnist.pfgm().M());
        assertEquals(mnistHp.zMax(), mnist.pfgm().zMax(), 1e-12);
        assertEquals(mnistHp.upperNorm(), mnist.pfgm().upperNorm(), 1e-12);
        assertEquals(5, mnist.pfgm().gamma());
        assertEquals(5, mnist.pfgm().zExp());
        assertEquals(0, mnist.pfgm().preconditionScale());
    }

    /**
     * toy2d departs from the image rules where they do not carry over to 2-D: the prior
     * puts z_max / sqrt(z_max^2 + R^2) of its mass beyond radius R, 49% beyond the rule's
     * upper_norm; toy2d clips at most 6%.
     */
    @Test
    void toy2dClipsLittleOfThePriorAndPreconditionsItsMlp() {
        Preset toy = Presets.named("toy2d");
        Hyperparameters hp = Hyperparameters.forData(Presets.EIGHT_GAUSSIANS_NORM, 2, 0.01, 0.03);
        double zMax = toy.pfgm().zMax();
        assertEquals(0.49, zMax / Math.hypot(zMax, hp.upperNorm()), 0.01);
        assertTrue(zMax / Math.hypot(zMax, toy.pfgm().upperNorm()) < 0.06);
        assertEquals(0.3, toy.pfgm().gamma());
        assertEquals(0.3, toy.pfgm().zExp());
        assertTrue(toy.pfgm().preconditionScale() > 0);
        assertEquals(NetworkConfig.Kind.MLP, toy.network().kind());
        var e = assertThrows(IllegalArgumentException.class,
                () -> Settings.with(Presets.named("mnist_small"), "preconditionScale", "6"));
        assertTrue(e.getMessage().contains("MLP"), e.getMessage());
    }

    /** Runs written before preconditionScale existed keep their fingerprint when it is 0. */
    @Test
    void fingerprintsWithoutPreconditioningAreTheOldOnes() {
        Preset mnist = Presets.named("mnist_small");
        assertTrue(!fingerprint(mnist).contains("preconditionScale"), fingerprint(mnist));
        assertTrue(fingerprint(Presets.named("toy2d")).contains("preconditionScale = 6.0"));
        assertTrue(!fingerprint(Presets.named("toy2d")).equals(
                fingerprint(Settings.with(Presets.named("toy2d"), "preconditionScale", "4"))));
    }

    /** Every CPU preset's network gives its method's output shape for its data. */
    @Test
    void cpuPresetNetworksProduceTheirMethodsShape() {
        for (Preset preset : Presets.all().values()) {
            if (preset.train().steps() > 100_000) {
                continue; // the paper's presets are built in NetworksTest
            }
            String name = preset.name();
            NetworkConfig network = preset.network();
            int extra = preset.method() == MethodType.PFGM ? 1 : 0; // v_z
            try (NDManager manager = NDManager.newBaseManager()) {
                var block = preset.createMethod().network(network);
                Shape sample = network.sampleShape();
                block.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(sample), new Shape(1));
                var v = block.forward(new ParameterStore(manager, false),
                        new NDList(manager.zeros(new Shape(2).addAll(sample)), manager.ones(new Shape(2))), false);
                assertEquals(new Shape(2, sample.size() + extra), v.singletonOrThrow().getShape(), name);
            }
        }
    }

    @Test
    void overridesReachNestedSettingsAndUnknownPresetsAreNamed() {
        Preset p = Settings.with(Presets.named("toy2d"), "lr", "0.005");
        assertEquals(0.005, p.train().lr());
        assertEquals(64, Settings.with(p, "network.nf", "64").network().nf());
        var e = assertThrows(IllegalArgumentException.class, () -> Presets.named("cifar100"));
        assertTrue(e.getMessage().contains("toy2d"), e.getMessage());
        var method = assertThrows(IllegalArgumentException.class, () -> Settings.with(p, "method", "ddim"));
        assertTrue(method.getMessage().contains("unknown method 'ddim'") && method.getMessage().contains("pfgmpp"),
                method.getMessage());
        assertTrue(fingerprint(p).equals(fingerprint(Settings.with(p, "train.steps", "99"))), "steps may change on resume");
        assertTrue(!fingerprint(p).equals(fingerprint(Settings.with(p, "train.lr", "0.001"))));
        assertEquals(fingerprint(p), fingerprint(Settings.with(Settings.with(p, "pfgm.zMax", "60"), "sampling.solver", "euler")),
                "settings only sampling reads need no new training");
        assertTrue(!fingerprint(p).equals(fingerprint(Settings.with(p, "pfgm.gamma", "1"))));
    }

    /** score-SDE's CIFAR-10 configs (continuous training), and the CPU SDE presets matched to their PFGM twins. */
    @Test
    void sdePresetsCarryScoreSdesSettings() {
        for (String name : new String[] {"cifar10_vp_ddpmpp", "cifar10_subvp_ddpmpp", "cifar10_ve_ncsnpp", "cifar10_vp_ddpmpp_deep",
            "cifar10_subvp_ddpmpp_deep", "cifar10_ve_ncsnpp_deep"}) {
            Preset p = Presets.named(name);
            boolean ve = p.method() == MethodType.VE;
            boolean deep = name.endsWith("_deep");
            assertEquals(128, p.train().smallBatchSize(), name);
            assertEquals(2e-4, p.train().lr(), name);
            assertEquals(5000, p.train().warmup(), name);
            assertEquals(1.0, p.train().gradClip(), name);
            assertEquals(ve ? 0.999 : 0.9999, p.train().emaDecay(), name);
            assertEquals(deep ? 950_000 : 1_300_000, p.train().steps(), name);
            assertEquals(deep ? 8 : 4, p.network().numResBlocks(), name);
            assertEquals(Presets.named(name.replace("_deep", "")).sde().toString(), p.sde().toString(), name);
            assertEquals(!ve, p.sde().reduceMean(), name);
            assertEquals(ve ? NetworkConfig.Kind.NCSNPP : NetworkConfig.Kind.DDPMPP, p.network().kind(), name);
            assertEquals(ve ? "reverse_diffusion" : "euler_maruyama", p.sampling().pc().predictor().toString(), name);
            assertEquals(ve ? "langevin" : "none", p.sampling().pc().corrector().toString(), name);
            assertEquals(1e-5, p.sampling().rk45().rtol(), name);
            assertTrue(p.flip(), name);
        }
        assertEquals(0.1, Presets.named("cifar10_vp_ddpmpp").sde().betaMin());
        assertEquals(20, Presets.named("cifar10_subvp_ddpmpp").sde().betaMax());
        // 0.01 and 50 in the official config's [0, 1] pixel units, doubled for the kit's [-1, 1].
        assertEquals(100, Presets.named("cifar10_ve_ncsnpp").sde().sigmaMax());
        assertEquals(0.02, Presets.named("cifar10_ve_ncsnpp").sde().sigmaMin());
        for (String sde : new String[] {"vp", "subvp", "ve"}) {
            for (String twin : new String[] {"toy2d", "mnist_small"}) {
                Preset p = Presets.named(twin + "_" + sde);
                Preset pfgm = Presets.named(twin);
                assertEquals(sde, p.method().name());
                assertEquals(pfgm.data(), p.data());
                assertEquals(pfgm.train().smallBatchSize(), p.train().smallBatchSize(), p.name());
                assertEquals(pfgm.train().steps(), p.train().steps(), p.name());
                assertEquals(pfgm.train().lr(), p.train().lr(), p.name());
                NetworkConfig expected = twin.equals("mnist_small") && sde.equals("ve") ? Presets.smallFourier(1) : pfgm.network();
                assertEquals(expected.toString(), p.network().toString(), p.name());
            }
        }
        assertEquals(NetworkConfig.Embedding.FOURIER, Presets.named("mnist_small_ve").network().embedding());
        assertEquals(18.15, Presets.named("mnist_small_ve").sde().sigmaMax());
        assertEquals(8, Presets.named("toy2d_ve").sde().sigmaMax());
    }

    /** A run's fingerprint holds its own method's settings, not the others'. */
    @Test
    void fingerprintsLeaveOutTheOtherMethodsSettings() {
        Preset pfgm = Presets.named("toy2d");
        assertEquals(fingerprint(pfgm), fingerprint(Settings.with(pfgm, "sde.reduceMean", "false")));
        assertEquals(fingerprint(pfgm), fingerprint(Settings.with(pfgm, "pfgmpp.D", "64")));
        Preset vp = Presets.named("toy2d_vp");
        assertEquals(fingerprint(vp), fingerprint(Settings.with(vp, "pfgm.gamma", "1")));
        assertTrue(!fingerprint(vp).equals(fingerprint(Settings.with(vp, "sde.reduceMean", "false"))));
        assertTrue(!fingerprint(vp).equals(fingerprint(Settings.with(vp, "sde.betaMax", "10"))));
        assertEquals(fingerprint(vp), fingerprint(Settings.with(vp, "sde.sampleEps", "1e-4")), "a sampling setting");
        assertTrue(fingerprint(vp).contains("sde.trainEps") && !fingerprint(vp).contains("pfgm."), fingerprint(vp));
    }

    /**
     * An exact setting name wins over a longer path it ends: cifar10_ddpmpp has imageSize and
     * network.imageSize, and --set imageSize=16 names the first.
     */
    @Test
    void anExactNameWinsOverALongerPath() {
        Preset p = Settings.with(Presets.named("cifar10_ddpmpp"), "imageSize", "16");
        assertEquals(16, p.imageSize());
        assertEquals(32, p.network().imageSize());
        var e = assertThrows(IllegalArgumentException.class, () -> Settings.with(Presets.named("cifar10_ddpmpp"), "nf", "x"));
        assertTrue(e.getMessage().contains("bad value 'x' for network.nf"), e.getMessage());
    }

    /** Settings that moved keep their old paths: run.properties written before still resolve. */
    @Test
    void movedSettingsKeepTheirOldPaths() {
        Preset p = Presets.named("mnist_small_ve");
        assertEquals(1e-3, Settings.with(p, "sampling.rtol", "1e-3").sampling().rk45().rtol());
        assertEquals(0.2, Settings.with(p, "sampling.snr", "0.2").sampling().pc().snr());
        assertEquals("none", Settings.with(p, "corrector", "none").sampling().pc().corrector().toString());
        assertEquals(MethodType.VP, Settings.with(p, "method", "vp").method());
        assertEquals("heun-18", Settings.with(p, "sampling.solver", "improved_euler").withSampler("heun-18").sampling().label());
    }

    private static String fingerprint(Preset preset) {
        return Fingerprint.of(preset).text();
    }
}
