package pfgm.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.function.DoubleConsumer;
import pfgm.config.SamplingConfig;
import pfgm.ode.Flow;
import pfgm.ode.OdeSolver;
import pfgm.ode.Solution;
import pfgm.util.GradMode;
import pfgm.util.Rng;

/**
 * A generative method: what it trains the network to predict, where its samples start, and the
 * probability-flow ODE that carries them to data. PFGM is one; the diffusion SDEs of score-SDE
 * and PFGM++ are others. The trainer, runs, sampling, evaluation and the likelihood see only this.
 */
public interface Method {
    /** The name presets use ({@code method=...}). */
    String name();

    /** Values the network returns per sample beyond the data's N: 1 for PFGM (v_z), else 0. */
    default int extraOutputs() {
        return 0;
    }

    /**
     * Whether a training step needs the large batch (TrainConfig.batchSize rows: PFGM's charges)
     * rather than only the network's batch (smallBatchSize rows, every other method).
     */
    default boolean needsLargeBatch() {
        return false;
    }

    /**
     * The training loss of one step, differentiable through the network.
     *
     * @param network the network being trained (in training mode)
     * @param batch (B, N) rows of data scaled as the network expects: batchSize rows when
     *     {@link #needsLargeBatch}, else smallBatchSize
     * @param rng the step's random stream
     */
    NDArray loss(Network network, NDArray batch, Rng rng);

    /** {@code n} samples (n, dim) of the prior, float32. */
    NDArray prior(NDManager manager, int n, int dim, Rng rng);

    /** The prior's log density at rows x (n, dim), as float64 (n). */
    NDArray priorLogDensity(NDArray x);

    /** The probability-flow ODE of a network, from the prior to the data. */
    Flow flow(Network network, int dim);

    /**
     * The flow {@code solver} integrates: {@link #flow(Network, int)}, unless the method's own
     * samplers step in another variable (PFGM's fixed steps go in z, its RK45 in log z).
     */
    default Flow flow(Network network, int dim, OdeSolver solver) {
        return flow(network, dim);
    }

    /** {@code n} samples (n, dim) drawn with the sampler {@code sampling} describes; the path when {@code keepPath}. */
    default Solution generate(Network network, int dim, SamplingConfig sampling, NDManager manager, int n, Rng rng,
            boolean keepPath) {
        return generate(network, dim, sampling, manager, n, rng, keepPath, fraction -> {});
    }

    /**
     * {@code n} samples (n, dim): prior samples carried to data by the sampler {@code sampling}
     * describes; {@code progress} hears the fraction done.
     */
    default Solution generate(Network network, int dim, SamplingConfig sampling, NDManager manager, int n, Rng rng,
            boolean keepPath, DoubleConsumer progress) {
        if (sampling.isPredictorCorrector()) {
            throw new IllegalArgumentException("the pc sampler needs a diffusion SDE (vp, subvp, ve); " + name()
                    + " samples with an ODE solver: euler, heun or rk45");
        }
        GradMode.off();
        NDArray start = prior(manager, n, dim, rng);
        OdeSolver solver = sampling.odeSolver();
        Flow flow = flow(network, dim, solver).reportingProgress(progress);
        return solver.solve(flow.withoutTemporaries(), start, keepPath);
    }
}
