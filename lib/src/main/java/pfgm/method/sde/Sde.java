package pfgm.method.sde;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import pfgm.method.Method;
import pfgm.nn.Network;
import pfgm.ode.FixedStepSolver;
import pfgm.ode.Flow;
import pfgm.ode.OdeSolver;
import pfgm.ode.Solution;
import pfgm.train.Loss;
import pfgm.train.TrainConfig;
import pfgm.util.Rng;
import pfgm.util.Scalars;
import pfgm.util.Scopes;

/**
 * A diffusion SDE of score-SDE (Song et al. 2021; sde_lib.py, losses.py, sampling.py and
 * models/utils.py of the official code): the forward process dx = f(x, t) dt + g(t) dw on
 * [0, T], T = 1, whose marginal given the data is x_t = a(t) x_0 + std(t) z; a network learns the
 * score of x_t by denoising score matching, and the probability-flow ODE
 * dx/dt = f(x, t) - g(t)^2 score(x, t) / 2 carries the prior at T back to the data at eps.
 *
 * <p>A new SDE is one subclass: its marginal (a, std), its drift and diffusion, its prior's
 * standard deviation, the label its network sees and how the network's output becomes a score,
 * and, if it has one, its own discretization for the reverse-diffusion predictor.
 */
public abstract class Sde implements Method {
    protected final SdeConfig config;

    protected Sde(SdeConfig config) {
        this.config = config;
    }

    public SdeConfig config() {
        return config;
    }

    /** The end time of the forward SDE, where the prior sits. */
    public double T() {
        return 1;
    }

    /** a(t): the mean of x_t given x_0 is a(t) x_0. */
    public abstract double meanCoefficient(double t);

    /** std(t): the standard deviation of x_t given x_0 (per coordinate). */
    public abstract double std(double t);

    /** The forward SDE's drift f(x, t) for rows x (n, N). */
    public abstract NDArray drift(NDArray x, double t);

    /** The forward SDE's diffusion coefficient g(t). */
    public abstract double diffusion(double t);

    /** The prior's standard deviation: the prior is N(0, priorStd^2 I). */
    public abstract double priorStd();

    /** The conditioning value the network sees at time t (999 t for VP and sub-VP, sigma(t) for VE). */
    public abstract double label(double t);

    /**
     * The score is the network's output times this: -1 / std(t) for VP and sub-VP (the network
     * predicts the noise), 1 / sigma(t) for VE (score-SDE's scale_by_sigma).
     */
    public abstract double scoreScale(double t);

    /**
     * One step of the forward SDE discretized into {@code steps} steps on [0, T], x_{i+1} = x_i +
     * f_i(x_i) + G_i z_i: what the reverse-diffusion predictor reverses. Euler-Maruyama (f dt, g
     * sqrt(dt), dt = T / steps) unless the SDE has its own (DDPM's for VP, SMLD's for VE).
     */
    public Discretized discretize(NDArray x, double t, int steps) {
        double dt = T() / steps;
        return new Discretized(drift(x, t).mul(dt), diffusion(t) * Math.sqrt(dt));
    }

    /** f_i(x_i) and G_i of a discretized step. */
    public record Discretized(NDArray f, double g) {}

    /**
     * The factor alpha in the Langevin corrector's step size 2 alpha (snr ||z|| / ||score||)^2:
     * 1, or for the SDEs with DDPM's discretization its alpha_i = 1 - beta_i at t.
     */
    public double langevinAlpha(double t, int steps) {
        return 1;
    }

    /** The index i of the discrete step at time t among {@code steps}: score-SDE's (t (N - 1) / T).long(). */
    protected int stepIndex(double t, int steps) {
        // The small margin keeps i exact where t (N - 1) / T lands on an integer up to rounding.
        return (int) Math.floor(t * (steps - 1) / T() + 1e-9);
    }

    /** score-SDE's continuous denoising score matching on the network's batch. */
    @Override
    public Loss loss(TrainConfig train) {
        return new DenoisingScoreMatching(this, train.smallBatchSize());
    }

    /** The score of x (n, N) at time t, from the network. */
    public NDArray score(Network network, NDArray x, double t) {
        long n = x.getShape().get(0);
        NDArray labels = x.getDataType() == DataType.FLOAT64
                ? x.getManager().create(filled(n, label(t))) : x.getManager().full(new Shape(n), (float) label(t), x.getDataType());
        NDArray output = network.apply(x, labels);
        if (output.getDataType() != x.getDataType()) {
            output = output.toType(x.getDataType(), false);
        }
        return Scalars.times(output, scoreScale(t));
    }

    private static double[] filled(long n, double value) {
        double[] values = new double[Math.toIntExact(n)];
        java.util.Arrays.fill(values, value);
        return values;
    }

    /** {@code n} samples of N(0, priorStd^2 I), float32. */
    @Override
    public NDArray prior(NDManager manager, int n, int dim, Rng rng) {
        NDArray z = rng.normal(manager, new Shape(n, dim));
        return priorStd() == 1 ? z : z.mul(priorStd());
    }

    /** log N(x; 0, priorStd^2 I) per row, float64. */
    @Override
    public NDArray priorLogDensity(NDArray x) {
        double variance = priorStd() * priorStd();
        long dim = x.getShape().get(1);
        return x.toType(DataType.FLOAT64, false).square().sum(new int[] {1}).mul(-0.5 / variance)
                .add(-0.5 * dim * Math.log(2 * Math.PI * variance));
    }

    /**
     * The probability-flow ODE dx/dt = f(x, t) - g(t)^2 score(x, t) / 2 from T down to sampleEps,
     * fixed steps uniform in t.
     */
    @Override
    public Flow flow(Network network, int dim) {
        return Flow.uniform((t, x) -> {
            double g = diffusion(t);
            return drift(x, t).sub(Scalars.times(score(network, x, t), g * g / 2));
        }, T(), config.sampleEps());
    }

    /**
     * After RK45 one reverse-diffusion step at sampleEps takes the samples to its mean, as
     * score-SDE's black-box ODE sampler does with noise_removal (which its configs set), so that
     * they lose the noise of the marginal at eps. That step counts toward the NFE here (score-SDE's
     * count leaves it out). The fixed-step solvers stand for score-SDE's probability-flow
     * predictor, whose last mean is the sample, and get no extra step.
     */
    @Override
    public Solution finish(Network model, Solution solved, OdeSolver solver) {
        if (solver instanceof FixedStepSolver) {
            return solved;
        }
        NDArray x = solved.y();
        NDArray denoised = Scopes.keep(() -> {
            Discretized step = discretize(x, config.sampleEps(), NOISE_REMOVAL_SCALES);
            return reverseDiffusionMean(x, score(model, x, config.sampleEps()), step);
        });
        if (solved.path().isEmpty()) {
            x.close();
        }
        return new Solution(denoised, solved.nfe() + 1, solved.times(), solved.path());
    }

    /**
     * The discretization of the noise-removal step: score-SDE's model.num_scales, 1000 in its
     * CIFAR-10 configs (for VE the step at sampleEps is its first, sigma_min, whatever the count).
     */
    public static final int NOISE_REMOVAL_SCALES = 1000;

    /** The reverse-diffusion predictor's mean x - f_i + G_i^2 score (score-SDE's ReverseDiffusionPredictor). */
    public static NDArray reverseDiffusionMean(NDArray x, NDArray score, Discretized step) {
        return x.sub(step.f()).add(score.mul(step.g() * step.g()));
    }
}
