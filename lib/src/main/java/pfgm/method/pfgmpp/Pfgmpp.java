package pfgm.method.pfgmpp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.apache.commons.math3.special.Gamma;
import pfgm.method.Method;
import pfgm.nn.Network;
import pfgm.nn.NetworkConfig;
import pfgm.ode.Drift;
import pfgm.ode.Flow;
import pfgm.train.Loss;
import pfgm.train.TrainConfig;
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
 *   <li>Model: the denoiser D(x, sigma) of the network under EDM's preconditioning
 *       ({@link EdmPreconditioning}).</li>
 *   <li>Loss: lambda(sigma) ||D(x, sigma) - y||^2 ({@link EdmLoss}).</li>
 *   <li>Sampling (generate.py, edm_sampler): the ODE dx/dsigma = (x - D(x, sigma)) / sigma from
 *       the prior at sigma_max (the kernel around 0 with r = sigma_max sqrt(D)) along
 *       sigma_i = (sigma_max^(1/rho) + i / (n-1) (sigma_min^(1/rho) - sigma_max^(1/rho)))^rho,
 *       i < n, then 0; Heun's last step, into sigma = 0, is an Euler step.</li>
 * </ul>
 *
 * <p>The network's label: EDM feeds c_noise to the noise embedding. A network that embeds its label
 * itself (DDPM's sinusoidal embedding) gets c_noise; one that embeds the log of its label
 * (Fourier features, the MLP) gets exp(c_noise) = sigma^(1/4), so it too embeds c_noise, as EDM's
 * Fourier embedding does ({@link EdmPreconditioning.Label}).
 */
public final class Pfgmpp implements Method {
    public static final String NAME = "pfgmpp";
    private final PfgmppConfig config;
    private final EdmPreconditioning.Label label;

    public Pfgmpp(PfgmppConfig config, EdmPreconditioning.Label label) {
        this.config = config;
        this.label = label;
    }

    /** PFGM++ for a network built from {@code network}: its embedding decides the label. */
    public static Pfgmpp of(PfgmppConfig config, NetworkConfig network) {
        return new Pfgmpp(config, EdmPreconditioning.Label.of(network));
    }

    public PfgmppConfig config() {
        return config;
    }

    public EdmPreconditioning.Label label() {
        return label;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The model is the network under EDM's preconditioning: the denoiser D(x, sigma), with sigma as its label. */
    @Override
    public Network model(Network network) {
        return new EdmPreconditioning(network, config.sigmaData(), label);
    }

    /** r = sigma sqrt(D), the norm of the augmented dimensions that matches noise level sigma. */
    public double r(double sigma) {
        return sigma * Math.sqrt(config.D());
    }

    // ---- training ----

    @Override
    public Loss loss(TrainConfig train) {
        return new EdmLoss(this, train.smallBatchSize());
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
            return rng.normal(manager, new Shape(n, dim)).mul(EdmPreconditioning.column(manager, sigma, DataType.FLOAT32));
        }
        double[] ratio = rng.betaPrime(n, dim / 2.0, config.D() / 2);
        double[] radius = new double[n];
        for (int i = 0; i < n; i++) {
            radius[i] = r(sigma[i]) * Math.sqrt(ratio[i]);
        }
        return rng.unitVectors(manager, n, dim).mul(EdmPreconditioning.column(manager, radius, DataType.FLOAT32));
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
     * The model is a denoiser: the network under {@link #model}, or {@link OracleDenoiser}.
     */
    @Override
    public Flow flow(Network model, int dim) {
        Drift drift = new Drift() {
            @Override
            public NDArray at(double sigma, NDArray x) {
                double[] levels = new double[Math.toIntExact(x.getShape().get(0))];
                Arrays.fill(levels, sigma);
                return Scalars.times(x.sub(model.apply(x, x.getManager().create(levels))), 1 / sigma);
            }

            @Override
            public boolean definedAt(double sigma) {
                return sigma > 0;
            }
        };
        double rho = config.rho();
        return new Flow(drift, config.sigmaMax(), config.sigmaMin(), this::schedule, sigma -> Math.pow(sigma, 1 / rho));
    }
}
