package pfgm.config;

import java.util.LinkedHashMap;
import java.util.Map;
import pfgm.method.pfgm.PfgmConfig;
import pfgm.method.pfgmpp.PfgmppConfig;
import pfgm.method.sde.SdeConfig;
import pfgm.nn.NetworkConfig;
import pfgm.nn.NetworkConfig.Embedding;
import pfgm.nn.NetworkConfig.Kind;
import pfgm.sampling.PredictorCorrectorConfig;
import pfgm.sampling.SamplingConfig;
import pfgm.sampling.Solver;
import pfgm.sampling.Tolerances;
import pfgm.train.TrainConfig;

/**
 * The named presets: the paper's configurations (official configs/poisson/*.py) and CPU-sized
 * ones whose M, z_max and upper_norm follow the hyper-parameter rules for their data.
 */
public final class Presets {
    /** Average norms of the centred training sets, measured once (numpy, on the IDX files of data/). */
    static final double MNIST_NORM = 26.93;
    static final double FASHION_NORM = 23.00;
    /** Eight Gaussians on the circle of radius 2 sqrt 2 (sd 0.35): the average norm is about 2.85. */
    static final double EIGHT_GAUSSIANS_NORM = 2.85;
    /** Training steps of toy2d and of its twins of the other methods. */
    static final int TOY_STEPS = 12_000;

    private static final Map<String, Preset> ALL = new LinkedHashMap<>();

    static {
        SamplingConfig rk45 = SamplingConfig.paper();
        add(paper("cifar10_ddpmpp", "cifar10:data/cifar10", 32, NetworkConfig.cifar10Ddpmpp(), 4096, 128, 2e-4,
                PfgmConfig.paper(291, 40, 3000), 1_300_000, rk45));
        add(paper("cifar10_ddpmpp_deep", "cifar10:data/cifar10", 32, NetworkConfig.cifar10DdpmppDeep(), 4096, 128, 2e-4,
                PfgmConfig.paper(291, 40, 3000), 1_300_000, rk45));
        add(paper("cifar10_ncsnpp", "cifar10:data/cifar10", 32, NetworkConfig.cifar10Ncsnpp(), 4096, 128, 2e-4,
                PfgmConfig.paper(291, 40, 3000), 1_300_000, rk45));
        // CelebA's official config sets no M; 302 is the M for which the rule's z_max is its z_max = 60.
        add(paper("celeba64_ddpmpp", "folder:data/celeba,crop=140,size=64", 64, new NetworkConfig(Kind.DDPMPP, 3, 64, 128,
                new int[] {1, 2, 2, 2}, 4, new int[] {16}, 0.1f, Embedding.POSITIONAL, 16), 512, 128, 2e-4,
                new PfgmConfig(0.01, 0.03, 302, true, 5, 1e-3, 60, 6000, 1), 1_300_000, SamplingConfig.ode(Solver.HEUN, 100, 1e-4, 1e-4)));
        add(paper("bedroom_ddpmpp", "folder:data/lsun-bedroom,size=256", 256, new NetworkConfig(Kind.DDPMPP, 3, 256, 128,
                new int[] {1, 1, 2, 2, 4, 4}, 2, new int[] {16}, 0f, Embedding.POSITIONAL, 16), 32, 32, 2e-5,
                new PfgmConfig(0.01, 0.03, 356, true, 5, 1e-3, 50, 20000, 0.1), 2_400_000, rk45));
        add(toy2d());
        // At 16 x 16 the centred norm scales by 16/28 (the average of squares per pixel is kept).
        add(cpu("mnist_small", "mnist", 16, small(1), 512, 64, 1e-3, 1600, MNIST_NORM * 16 / 28, 256));
        add(cpu("fashion_small", "fashion", 16, small(1), 512, 64, 1e-3, 1600, FASHION_NORM * 16 / 28, 256));

        // score-SDE's diffusion baselines (Song et al. 2021), continuous training: the official
        // configs/vp/cifar10_ddpmpp_continuous.py, configs/subvp/cifar10_ddpmpp_continuous.py and
        // configs/ve/cifar10_ncsnpp_continuous.py with default_cifar10_configs.py: batch 128, Adam lr
        // 2e-4, warm-up 5000, clip 1, 1.3M iterations, EMA 0.9999 (VP, sub-VP) or 0.999 (VE),
        // reduce_mean True (VP, sub-VP) or False (VE), beta 0.1 to 20, train eps 1e-5, sample eps
        // 1e-3, N = 1000; the PFGM code's copies of these configs sample with the ODE (RK45,
        // rtol = atol = 1e-5), score-SDE's own with pc: VP and sub-VP euler_maruyama without a
        // corrector, VE reverse_diffusion with Langevin (snr 0.16, one step), kept here for --solver pc.
        add(sdePaper("cifar10_vp_ddpmpp", MethodType.VP, NetworkConfig.cifar10Ddpmpp(), SdeConfig.cifar10(), 0.9999, 1_300_000));
        add(sdePaper("cifar10_subvp_ddpmpp", MethodType.SUBVP, NetworkConfig.cifar10Ddpmpp(), SdeConfig.cifar10(), 0.9999, 1_300_000));
        // The official VE config trains on [0, 1] pixels (data.centered = False; its NCSN++ centres
        // its input itself) with sigma 0.01 to 50, 50 being technique 1's largest distance between
        // CIFAR-10 training images in those units. The kit centres every data set to [-1, 1], which
        // doubles all distances: sigma 0.02 to 100 is the same SDE in the kit's units.
        add(sdePaper("cifar10_ve_ncsnpp", MethodType.VE, NetworkConfig.cifar10Ncsnpp(), SdeConfig.ve(0.02, 100), 0.999, 1_300_000));
        // The deep variants (configs/*/cifar10_ddpmpp_deep_continuous.py, configs/ve/cifar10_ncsnpp_deep_continuous.py):
        // 8 residual blocks per resolution, 950,001 iterations, the rest as above.
        add(sdePaper("cifar10_vp_ddpmpp_deep", MethodType.VP, NetworkConfig.cifar10DdpmppDeep(), SdeConfig.cifar10(), 0.9999, 950_000));
        add(sdePaper("cifar10_subvp_ddpmpp_deep", MethodType.SUBVP, NetworkConfig.cifar10DdpmppDeep(), SdeConfig.cifar10(), 0.9999,
                950_000));
        add(sdePaper("cifar10_ve_ncsnpp_deep", MethodType.VE, NetworkConfig.cifar10NcsnppDeep(), SdeConfig.ve(0.02, 100), 0.999, 950_000));
        // CPU-sized: the network, steps, learning rate and network batch (smallBatchSize) of toy2d and
        // mnist_small, the SDEs with score-SDE's settings.
        // VE's sigma_max by technique 1 (the largest distance between training points), measured with
        // the kit: 18.15 for all 60,000 MNIST training images at 16 x 16, centred (18.1524); 8 for
        // toy2d's eight Gaussians (the largest distance among 4,096 points is 7.80 to 8.20 over ten
        // seeds). VE's network embeds log sigma with Fourier features, as score-SDE's VE models do.
        add(sdeCpu("toy2d_vp", MethodType.VP, "toy:eight-gaussians", 0, NetworkConfig.mlp(2, 128, 3), 256, TOY_STEPS,
                EIGHT_GAUSSIANS_NORM, SdeConfig.cifar10()));
        add(sdeCpu("toy2d_subvp", MethodType.SUBVP, "toy:eight-gaussians", 0, NetworkConfig.mlp(2, 128, 3), 256, TOY_STEPS,
                EIGHT_GAUSSIANS_NORM, SdeConfig.cifar10()));
        add(sdeCpu("toy2d_ve", MethodType.VE, "toy:eight-gaussians", 0, NetworkConfig.mlp(2, 128, 3), 256, TOY_STEPS, EIGHT_GAUSSIANS_NORM,
                SdeConfig.ve(0.01, 8)));
        add(sdeCpu("mnist_small_vp", MethodType.VP, "mnist", 16, small(1), 64, 1600, MNIST_NORM * 16 / 28, SdeConfig.cifar10()));
        add(sdeCpu("mnist_small_subvp", MethodType.SUBVP, "mnist", 16, small(1), 64, 1600, MNIST_NORM * 16 / 28, SdeConfig.cifar10()));
        add(sdeCpu("mnist_small_ve", MethodType.VE, "mnist", 16, smallFourier(1), 64, 1600, MNIST_NORM * 16 / 28,
                SdeConfig.ve(0.01, 18.15)));

        // PFGM++ (method=pfgmpp). Its loss needs no large batch of charges: the network batch is the batch.
        SamplingConfig edmHeun = SamplingConfig.ode(Solver.HEUN, 18, 1e-4, 1e-4); // EDM's 18 steps, NFE 35
        // mnist_small's network, steps, lr and network batch (64), with D = 128.
        add(pfgmppCpu("mnist_small_pfgmpp", ALL.get("mnist_small"), 64, edmHeun, PfgmppConfig.edm(128)));
        // toy2d's MLP, steps, lr and network batch (256). D = 8 for N = 2: the kernel's radius has the tail
        // P(R > k r) ~ k^-D and a row's loss grows like R^2, so the loss has a variance only for D > 4
        // (E R^4 finite); the image sweet spots, D/N ~ 0.01-0.7, would give D < 2 here, without even
        // E R^2 = r^2 N / (D - 2). With an untrained network (F = 0) the loss on 20,000 rows is 13,865 at
        // D = 1, 42 at D = 2, 3.9 at 4, 2.6 at 8, 2.0 for EDM. D = 8 keeps a tail, R^-9, far heavier than
        // EDM's Gaussian. sigma_data = 2: the eight Gaussians' coordinates have standard deviation 2.03.
        add(pfgmppCpu("toy2d_pfgmpp", ALL.get("toy2d"), 256, edmHeun, PfgmppConfig.edm(8).withSigmaData(2)));
        // PFGM++'s CIFAR-10 D = 2048 (README: FID 1.91, arch=ncsnpp; train.py's defaults): batch 512, Adam lr
        // 1e-3 (betas 0.9, 0.999, eps 1e-8), lr ramp-up over 10 Mimg = 19,531 steps, no gradient clipping,
        // EMA half-life 0.5 Mimg (decay 0.5^(512/500000) per step), 200 Mimg = 390,625 steps, dropout 0.13.
        // The kit's NCSN++ at EDM's widths (nf 128, ch_mult 2, 2, 2, 4 blocks, attention at 16, Fourier
        // features, FIR [1, 3, 3, 1], residual input pyramid) stands for EDM's SongUNet(ncsnpp): the same
        // design, not its exact modules. EDM's non-leaky augmentation (p = 0.12) is not in the kit.
        add(new Preset("cifar10_pfgmpp_d2048", "cifar10:data/cifar10", 32, false, MethodType.PFGMPP,
                new NetworkConfig(Kind.NCSNPP, 3, 32, 128, new int[] {2, 2, 2}, 4, new int[] {16}, 0.13f, Embedding.FOURIER, 16),
                new TrainConfig(512, 512, 1e-3, 0.9, 1e-8, 19_531, -1, Math.pow(0.5, 512 / 500_000.0), 390_625, 50, 10_000,
                        50_000, 42),
                edmHeun, PfgmConfig.paper(291, 40, 3000), SdeConfig.cifar10(), PfgmppConfig.edm(2048)));
    }

    private Presets() {}

    /** A small DDPM U-Net for 16 x 16 grey images: nf 32, three resolutions, attention at 4 x 4. */
    static NetworkConfig small(int channels) {
        return new NetworkConfig(Kind.DDPM, channels, 16, 32, new int[] {1, 2, 2}, 1, new int[] {4}, 0.1f,
                Embedding.POSITIONAL, 16);
    }

    private static Preset paper(String name, String data, int size, NetworkConfig network, int batch, int small,
            double lr, PfgmConfig pfgm, int steps, SamplingConfig sampling) {
        TrainConfig train = new TrainConfig(batch, small, lr, 0.9, 1e-8, 5000, 1.0, 0.9999, steps, 50, 10_000, 50_000, 42);
        return new Preset(name, data, size, true, MethodType.PFGM, network, train, sampling, pfgm, SdeConfig.cifar10(),
                PfgmppConfig.edm(2048));
    }

    /**
     * Eight Gaussians with a 3 x 128 MLP. M = 261 and z_max = 17.9 follow the rules; four settings
     * do not carry over from images to 2-D (the image defaults put every sample on a thin
     * ring of radius 2.8 through the clusters; RK45, n = 2,000, against fresh data's mean
     * log-density -2.82, 87% within 2 sd of a centre, radial sd 0.35):
     * <ul>
     *   <li>upperNorm 300, not the rule's 31.7. The rule's sqrt(N) sigma (1 + tau)^M is 1.77 z_max
     *       in 2-D, and the prior puts z_max / sqrt(z_max^2 + R^2) of its mass beyond radius R: 49%
     *       beyond 31.7 (6% beyond 300), all moved onto that circle, from where it flows onto one
     *       curve. The exact field over 1,024 points (RK45) gives a mean log-density of -2.52 (radial sd
     *       0.25) at 31.7, -2.77 at 100, -2.89 at 300.
     *   <li>preconditionScale 6: the network learns only the correction to one charge's field, from x
     *       squeezed into a ball of radius 6 ({@code pfgm.method.pfgm.PointChargePreconditioning}). Fed raw x, up to about
     *       70 here, the MLP learnt a rotationally symmetric field: tangential component 0.002 at
     *       z = 0.3 on the ring where the exact field's is 0.05 (gamma 5) or 0.4 (gamma 0.3), whatever
     *       the width (up to 512), depth (6), steps (16,000), Fourier scale or learning rate.
     *   <li>gamma 0.3, not 5: the angular pull between clusters near the data is 0.05 at gamma 5 and
     *       0.4 at gamma 0.3; the network never learnt the former.
     *   <li>zExp 0.3, not 5: the substitution takes ||g|| without z, so at z_exp 5 even the exact
     *       field's samples miss the clusters (-3.24, 76% near a centre); at 0.3 they score -2.89, 84%.
     * </ul>
     * 12,000 steps: about 2 minutes on one thread. The network's RK45 samples then score -2.83, 89%
     * near a centre, MMD p = 0.16 (notebook 02, laptop budget).
     */
    private static Preset toy2d() {
        Preset rules = cpu("toy2d", "toy:eight-gaussians", 0, NetworkConfig.mlp(2, 128, 3), 1024, 256, 1e-3, TOY_STEPS,
                EIGHT_GAUSSIANS_NORM, 2);
        PfgmConfig p = rules.pfgm();
        return new Preset(rules.name(), rules.data(), rules.imageSize(), rules.flip(), rules.method(), rules.network(),
                rules.train(), rules.sampling(), new PfgmConfig(p.sigma(), p.tau(), p.M(), p.restrictM(), 0.3, 6, p.zMin(),
                        p.zMax(), 300, 0.3), rules.sde(), rules.pfgmpp());
    }

    private static Preset cpu(String name, String data, int size, NetworkConfig network, int batch, int small, double lr,
            int steps, double dataNorm, int dim) {
        TrainConfig train = new TrainConfig(batch, small, lr, 0.9, 1e-8, 200, 1.0, 0.999, steps, 10, 500, steps / 4, 42);
        return new Preset(name, data, size, false, MethodType.PFGM, network, train, SamplingConfig.paper(),
                PfgmConfig.forData(dataNorm, dim), SdeConfig.cifar10(), PfgmppConfig.edm(128));
    }

    /** {@link #small} with Fourier features of log sigma (scale 16), as score-SDE's VE networks embed the noise level. */
    static NetworkConfig smallFourier(int channels) {
        NetworkConfig s = small(channels);
        return new NetworkConfig(s.kind(), s.channels(), s.imageSize(), s.nf(), s.chMult(), s.numResBlocks(),
                s.attnResolutions(), s.dropout(), Embedding.FOURIER, 16);
    }

    /**
     * score-SDE's sampler settings: RK45 with rtol = atol = 1e-5 on the probability-flow ODE; for
     * --solver pc its N = 1000 steps with the official config's predictor and corrector (VE:
     * reverse_diffusion and Langevin, the others: euler_maruyama alone), snr 0.16, one Langevin step.
     */
    private static SamplingConfig sdeSampling(MethodType method) {
        return new SamplingConfig(Solver.RK45, 1000, new Tolerances(1e-5, 1e-5), PredictorCorrectorConfig.scoreSde(method == MethodType.VE));
    }

    private static Preset sdePaper(String name, MethodType method, NetworkConfig network, SdeConfig sde, double ema, int steps) {
        TrainConfig train = new TrainConfig(128, 128, 2e-4, 0.9, 1e-8, 5000, 1.0, ema, steps, 50, 10_000, 50_000, 42);
        return new Preset(name, "cifar10:data/cifar10", 32, true, method, network, train, sdeSampling(method),
                PfgmConfig.paper(291, 40, 3000), sde, PfgmppConfig.edm(2048));
    }

    /**
     * The CPU presets' training schedule with {@code batch} rows through the network per step
     * (smallBatchSize; batchSize, PFGM's large batch, is set to the same);
     * PFGM's settings for the data (of average norm {@code dataNorm}) ride along for {@code method=pfgm}.
     */
    private static Preset sdeCpu(String name, MethodType method, String data, int size, NetworkConfig network, int batch,
            int steps, double dataNorm, SdeConfig sde) {
        TrainConfig train = new TrainConfig(batch, batch, 1e-3, 0.9, 1e-8, 200, 1.0, 0.999, steps, 10, 500, steps / 4, 42);
        int dim = Math.toIntExact(network.sampleShape().size());
        return new Preset(name, data, size, false, method, network, train, sdeSampling(method),
                PfgmConfig.forData(dataNorm, dim), sde,
                PfgmppConfig.edm(128));
    }

    /** A PFGM++ copy of a CPU preset: its data, network, lr, steps and intervals, with {@code batch} rows per step. */
    private static Preset pfgmppCpu(String name, Preset base, int batch, SamplingConfig sampling, PfgmppConfig pfgmpp) {
        TrainConfig t = base.train();
        TrainConfig train = new TrainConfig(batch, batch, t.lr(), t.beta1(), t.eps(), t.warmup(), t.gradClip(), t.emaDecay(),
                t.steps(), t.logEvery(), t.checkpointEvery(), t.snapshotEvery(), t.seed());
        return new Preset(name, base.data(), base.imageSize(), base.flip(), MethodType.PFGMPP, base.network(), train, sampling,
                base.pfgm(), base.sde(), pfgmpp);
    }

    private static void add(Preset preset) {
        ALL.put(preset.name(), preset);
    }

    /** Makes a preset nameable (a new method's, a user's own); its name must be new. */
    public static synchronized Preset register(Preset preset) {
        if (ALL.putIfAbsent(preset.name(), preset) != null) {
            throw new IllegalArgumentException("a preset named '" + preset.name() + "' exists already");
        }
        return preset;
    }

    public static Preset named(String name) {
        Preset preset = ALL.get(name);
        if (preset == null) {
            throw new IllegalArgumentException("unknown preset '" + name + "'; presets: " + String.join(", ", ALL.keySet()));
        }
        return preset;
    }

    public static Map<String, Preset> all() {
        return java.util.Collections.unmodifiableMap(ALL);
    }
}
