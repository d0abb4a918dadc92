package pfgm.sampling;

import ai.djl.ndarray.NDManager;
import java.util.function.DoubleConsumer;
import pfgm.method.Method;
import pfgm.nn.Network;
import pfgm.ode.Solution;
import pfgm.util.Rng;

/**
 * Draws samples from a method's model: prior samples carried to data by an ODE solver
 * ({@link OdeSampler}), or by score-SDE's predictor-corrector ({@link PredictorCorrector}).
 * {@link SamplingConfig#sampler()} chooses one.
 */
public sealed interface Sampler permits OdeSampler, PredictorCorrector {
    /**
     * {@code n} samples (n, dim); the path (prior, then each step's state) when {@code keepPath};
     * {@code progress} hears the fraction done.
     */
    Solution sample(Method method, Network model, int dim, NDManager manager, int n, Rng rng, boolean keepPath,
            DoubleConsumer progress);

    /** {@code n} samples (n, dim), and the path when {@code keepPath}. */
    default Solution sample(Method method, Network model, int dim, NDManager manager, int n, Rng rng, boolean keepPath) {
        return sample(method, model, dim, manager, n, rng, keepPath, fraction -> {});
    }
}
