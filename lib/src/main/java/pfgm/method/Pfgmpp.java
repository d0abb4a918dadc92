package pfgm.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.apache.commons.math3.special.Gamma;
import pfgm.config.PfgmppConfig;
import pfgm.nn.NetworkConfig;
import pfgm.ode.Drift;
import pfgm.ode.Flow;
import pfgm.util.Rng;
import pfgm.util.Scalars;

/**
 * PFGM++ (Xu, Liu, Tian, Tong, Tegmark, Jaakkola 2023; Newbeeer/pfgmpp, built on EDM): data in
 * R^N with D augmented dimensions whose norm r plays the role of time. The alignment r = sigma
 * sqrt(D) lets EDM's hyper-parameters (its sigma distribution, preconditioning and schedule) serve
 * every D; D = 1 is PFGM's field, D = Infinity is EDM.
 *
 * <ul>
 *   <li>Perturbation (training/loss.py, EDMLoss with pfgmpp): ln sigma ~ N(P_mean, P_std^2),
 *       x = y + R u with u uniform on the unit sphere of R^N and R = r sqrt(b / (1 - b)),
 *       b ~ Beta(N/2, D/2); for D = Infinity x = y + sigma n, n ~ N(0, I).</li>
 *   <li>Denoiser (training/networks.py, EDMPrecond): D(x, sigma) = c_skip x + c_out F(c_in x,
 *       c_noise) with c_skip = s^2 / (sigma^2 + s^2), c_out = sigma s / sqrt(sigma^2 + s^2),
 *       c_in = 1 / sqrt(sigma^2 + s^2), c_noise = ln(sigma) / 4, s = sigma_data.</li>
 *   <li>Loss: (sigma^2 + s^2) / (sigma s)^2 ||D(x, sigma) - y||^2, summed over the N
 *       coordinates and averaged over the batch (the training loop's loss.sum() / batch).</li>
 *   <li>Sampling (generate.py, edm_sampler): the ODE dx/dsigma = (x - D(x, sigma)) / sigma from
 *       the prior at sigma_max (the kernel around 0 with r = sigma_max sqrt(D)) along
 *       sigma_i = (sigma_max^(1/rho) + i / (n-1) (sigma_min^(1/rho) - sigma_max^(1/rho)))^rho,
 *       i < n, then 0; Heun's last step, into sigma = 0, is an Euler step.</li>
 * </ul>
 *
 * <p>The network's label: EDM feeds c_noise to the noise embedding. A network that embeds its label
 * itself (DDPM's sinusoidal embedding) gets c_noise; one that embeds the log of its label
 * (Fourier features, the MLP) gets exp(c_noise) = sigma^(1/4), so it too embeds c_noise, as EDM's
 * Fourier embedding does ({@link Label}).
 */
public final class Pfgmpp implements Method {
    /** The value a network gets as its label for noise level sigma. */
    public enum Label {
        /** c_noise = ln(sigma) / 4, for networks that embed the label itself (sinusoidal). */
        C_NOISE,
        /** exp(c_noise) = sigma^(1/4), for networks that embed log(label) (Fourier, MLP): they embed c_noise. */
        EXP_C_NOISE;

        /** The label a network built from {@code network} needs. */
        public static Label of(NetworkConfig network) {
            return network.embedsLogOfLabel() ? EXP_C_NOISE : C_NOISE;
        }

        public double of(double sigma) {
            return this == C_NOISE ? Math.log(sigma) / 4 : Math.pow(sigma, 0.25);
        }

        public double sigma(double label) {
            return this == C_NOISE ? Math.exp(4 * label) : Math.pow(label, 4);
        }
    }

    private final PfgmppConfig config;
    private final Label label;

    public Pfgmpp(PfgmppConfig config, Label label) {
        this.config = config;
        this.label = label;
    }

    /** PFGM++ for a network built from {@code network}: its embedding decides the label. */
    public static Pfgmpp of(PfgmppConfig config, NetworkConfig network) {
        return new Pfgmpp(config, Label.of(network));
    }

    public PfgmppConfig config() {
        return config;
    }

    public Label label() {
        return label;
    }

    @Override
    public String name() {
        return "pfgmpp";
    }

    // ---- EDM's preconditioning and loss weight (s = sigma_data) ----

    public double cSkip(double sigma) {
        double s2 = config.sigmaData() * config.sigmaData();
        return s2 / (sigma * sigma + s2);
    }

    public double cOut(double sigma) {
        double s = config.sigmaData();
        return sigma * s / Math.sqrt(sigma * sigma + s * s);
    }

    public double cIn(double sigma) {
        double s = config.sigmaData();
        return 1 / Math.sqrt(sigma * sigma + s * s);
    }

    public static double cNoise(double sigma) {
        return Math.log(sigma) / 4;
    }

    /** lambda(sigma) = (sigma^2 + s^2) / (sigma s)^2; lambda c_out^2 = 1. */
    public double lossWeight(double sigma) {
        double s = config.sigmaData();
        return (sigma * sigma + s * s) / (sigma * s * sigma * s);
    }

    /** r = sigma sqrt(D), the norm of the augmented dimensions that matches noise level sigma. */
    public double r(double sigma) {
        return sigma * Math.sqrt(config.D());
    }

    // ---- training ----

    /**
     * Scores the network's denoiser on the rows of {@code batch} perturbed by the kernel at noise
     * levels sigma with ln sigma ~ N(P_mean, P_std^2): the mean over rows of
     * lambda(sigma) ||D(y + perturbation, sigma) - y||^2.
     */
    @Override
    public NDArray loss(Network network, NDArray batch, Rng rng) {
        int n = Math.toIntExact(batch.getShape().get(0));
        int dim = Math.toIntExact(batch.getShape().get(1));
        double[] sigma = trainingSigmas(n, rng);
        NDArray x = batch.add(perturbation(batch.getManager(), sigma, dim, rng).toType(batch.getDataType(), false));
        NDArray denoised = denoise(network, x, sigma);
        double[] weight = Arrays.stream(sigma).map(this::lossWeight).toArray();
        return denoised.sub(batch).square().mul(column(denoised, weight)).sum(new int[] {1}).mean();
    }

    /** {@code n} noise levels of training: exp(P_mean + P_std n), n ~ N(0, 1). */
    public double[] trainingSigmas(int n, Rng rng) {
        double[] sigma = new double[n];
        for (int i = 0; i < n; i++) {
            sigma[i] = Math.exp(config.pMean() + config.pStd() * rng.nextGaussian());
        }
        return sigma;
    }

    /**
     * Draws from the perturbation kernel around 0, one row per noise level (float32 (n, dim)):
     * R u with u uniform on the unit sphere and R = r sqrt(b / (1 - b)), b ~ Beta(N/2, D/2),
     * r = sigma sqrt(D) (b / (1 - b) is drawn as a ratio of Gammas, so it stays finite where b
     * rounds to 1); for D = Infinity, sigma times a standard Gaussian.
     */
    public NDArray perturbation(NDManager manager, double[] sigma, int dim, Rng rng) {
        int n = sigma.length;
        if (Double.isInfinite(config.D())) {
            return rng.normal(manager, new Shape(n, dim)).mul(column(manager, sigma, DataType.FLOAT32));
        }
        double[] ratio = rng.betaPrime(n, dim / 2.0, config.D() / 2);
        double[] radius = new double[n];
        for (int i = 0; i < n; i++) {
            radius[i] = r(sigma[i]) * Math.sqrt(ratio[i]);
        }
        return rng.unitVectors(manager, n, dim).mul(column(manager, radius, DataType.FLOAT32));
    }

    // ---- the denoiser ----

    /** D(x, sigma) = c_skip x + c_out F(c_in x, label(sigma)) of a network F, per row. */
    public NDArray denoise(Network network, NDArray x, double[] sigma) {
        double[] in = new double[sigma.length];
        double[] skip = new double[sigma.length];
        double[] out = new double[sigma.length];
        double[] labels = new double[sigma.length];
        for (int i = 0; i < sigma.length; i++) {
            in[i] = cIn(sigma[i]);
            skip[i] = cSkip(sigma[i]);
            out[i] = cOut(sigma[i]);
            labels[i] = label.of(sigma[i]);
        }
        NDArray f = network.apply(x.mul(column(x, in)), column(x, labels).reshape(-1));
        if (!f.getShape().equals(x.getShape())) {
            throw new IllegalArgumentException("PFGM++ needs a network that returns (n, N) = " + x.getShape() + ", got "
                    + f.getShape() + " (a network built for another method?)");
        }
        return x.mul(column(x, skip)).add(f.mul(column(f, out)));
    }

    /** The denoiser of a (preconditioned) network. */
    public Denoiser denoiser(Network network) {
        return (x, sigma) -> denoise(network, x, sigma);
    }

    /**
     * The network F whose preconditioned output is {@code denoiser}: F(c_in x, label) =
     * (D(x, sigma) - c_skip x) / c_out. With an {@link OracleDenoiser} it stands for a perfectly
     * trained network wherever a method takes one (training loss, sampling, likelihood).
     */
    public Network asNetwork(Denoiser denoiser) {
        return (xIn, labels) -> {
            double[] values = labels.toType(DataType.FLOAT64, false).toDoubleArray();
            double[] sigma = new double[values.length];
            double[] unscale = new double[values.length];
            double[] skip = new double[values.length];
            double[] inverseOut = new double[values.length];
            for (int i = 0; i < values.length; i++) {
                sigma[i] = label.sigma(values[i]);
                unscale[i] = 1 / cIn(sigma[i]);
                skip[i] = cSkip(sigma[i]);
                inverseOut[i] = 1 / cOut(sigma[i]);
            }
            NDArray x = xIn.mul(column(xIn, unscale));
            NDArray d = denoiser.denoise(x, sigma);
            return d.sub(x.mul(column(x, skip))).mul(column(d, inverseOut));
        };
    }

    // ---- sampling ----

    /** The prior: the perturbation kernel around 0 at sigma_max (r = sigma_max sqrt(D)). */
    @Override
    public NDArray prior(NDManager manager, int n, int dim, Rng rng) {
        double[] sigma = new double[n];
        Arrays.fill(sigma, config.sigmaMax());
        return perturbation(manager, sigma, dim, rng);
    }

    /**
     * log p(x) of the prior, normalized over R^N: with r = sigma_max sqrt(D),
     * log Gamma((N+D)/2) - log Gamma(D/2) - N/2 log pi - N log r - (N+D)/2 log(1 + ||x||^2 / r^2)
     * (for D = 1 the Poisson kernel of PFGM with z_max = r); for D = Infinity the Gaussian
     * N(0, sigma_max^2 I).
     */
    @Override
    public NDArray priorLogDensity(NDArray x) {
        int dim = Math.toIntExact(x.getShape().get(1));
        double[] squared = x.toType(DataType.FLOAT64, false).square().sum(new int[] {1}).toDoubleArray();
        double[] out = new double[squared.length];
        double sigma = config.sigmaMax();
        double d = config.D();
        for (int i = 0; i < out.length; i++) {
            if (Double.isInfinite(d)) {
                out[i] = -dim / 2.0 * Math.log(2 * Math.PI * sigma * sigma) - squared[i] / (2 * sigma * sigma);
            } else {
                double r = r(sigma);
                out[i] = Gamma.logGamma((dim + d) / 2) - Gamma.logGamma(d / 2) - dim / 2.0 * Math.log(Math.PI)
                        - dim * Math.log(r) - (dim + d) / 2 * Math.log1p(squared[i] / (r * r));
            }
        }
        return x.getManager().create(out);
    }

    /**
     * The times of n fixed steps: EDM's schedule sigma_0 = sigma_max .. sigma_{n-1} = sigma_min,
     * then 0 (n = 1: sigma_max, then 0, a single step to D(x, sigma_max)). Heun over it takes
     * 2n - 1 evaluations (EDM's 18 steps: NFE 35).
     */
    public double[] schedule(int n) {
        double[] t = new double[n + 1];
        double a = Math.pow(config.sigmaMax(), 1 / config.rho());
        double b = Math.pow(config.sigmaMin(), 1 / config.rho());
        for (int i = 0; i < n; i++) {
            t[i] = n == 1 ? config.sigmaMax() : Math.pow(a + (double) i / (n - 1) * (b - a), config.rho());
        }
        t[0] = config.sigmaMax();
        if (n > 1) {
            t[n - 1] = config.sigmaMin();
        }
        t[n] = 0;
        return t;
    }

    /**
     * dx/dsigma = (x - D(x, sigma)) / sigma with sigma as time, from sigma_max to sigma_min (where
     * RK45 stops: the drift is undefined at 0); fixed steps follow {@link #schedule}, ending at 0.
     */
    @Override
    public Flow flow(Network network, int dim) {
        return flow(denoiser(network));
    }

    /** The probability-flow ODE of any denoiser (a network's, or {@link OracleDenoiser}). */
    public Flow flow(Denoiser denoiser) {
        Drift drift = new Drift() {
            @Override
            public NDArray at(double sigma, NDArray x) {
                double[] levels = new double[Math.toIntExact(x.getShape().get(0))];
                Arrays.fill(levels, sigma);
                return Scalars.times(x.sub(denoiser.denoise(x, levels)), 1 / sigma);
            }

            @Override
            public boolean definedAt(double sigma) {
                return sigma > 0;
            }
        };
        double rho = config.rho();
        return new Flow(drift, config.sigmaMax(), config.sigmaMin(), this::schedule, sigma -> Math.pow(sigma, 1 / rho));
    }

    /**
     * values as an (n, 1) column of like's type and device, copied into the engine's own memory
     * (an array backed by Java memory may be freed while autograd still needs it; see Scalars).
     */
    static NDArray column(NDArray like, double[] values) {
        return column(like.getManager(), values, like.getDataType());
    }

    private static NDArray column(NDManager manager, double[] values, DataType type) {
        return manager.create(values).reshape(values.length, 1).toType(type, true);
    }
}
