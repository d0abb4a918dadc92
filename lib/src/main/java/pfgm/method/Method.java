package pfgm.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import pfgm.nn.Network;
import pfgm.nn.NetworkConfig;
import pfgm.nn.Networks;
import pfgm.ode.Flow;
import pfgm.ode.OdeSolver;
import pfgm.ode.Solution;
import pfgm.train.Objective;
import pfgm.util.Rng;

/**
 * A generative method: the network it trains, its loss ({@link Objective}), where its samples
 * start, and the probability-flow ODE that carries them to data. PFGM is one; the diffusion SDEs
 * of score-SDE and PFGM++ are others. Training, sampling, evaluation and the likelihood see only
 * this.
 *
 * <p>"Model" is the network as the method reads it: {@link #model} applies the method's
 * preconditioning, if any, to the bare network. An exact stand-in for a trained model (PFGM's
 * oracle field, PFGM++'s oracle denoiser) is a model too.
 */
public interface Method extends Objective {
    /** The name presets use ({@code method=...}). */
    String name();

    /** The network this method trains for data of the given configuration (by default one output per data value). */
    default Block network(NetworkConfig config) {
        return Networks.build(config, 0);
    }

    /** {@code n} samples (n, dim) of the prior, float32. */
    NDArray prior(NDManager manager, int n, int dim, Rng rng);

    /** The prior's log density at rows x (n, dim), as float64 (n). */
    NDArray priorLogDensity(NDArray x);

    /** The probability-flow ODE of a model, from the prior to the data (adaptive solvers, encoding, the likelihood). */
    Flow flow(Network model, int dim);

    /**
     * The flow {@code solver} integrates: {@link #flow(Network, int)}, unless the method's own
     * samplers step in another variable (PFGM's fixed steps go in z, its RK45 in log z).
     */
    default Flow flow(Network model, int dim, OdeSolver solver) {
        return flow(model, dim);
    }

    /** What an ODE sampler returns after the solver: the solution itself, or a final step the method adds. */
    default Solution finish(Network model, Solution solved, OdeSolver solver) {
        return solved;
    }
}
