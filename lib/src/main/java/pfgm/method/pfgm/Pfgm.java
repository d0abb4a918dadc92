package pfgm.method.pfgm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import pfgm.method.Method;
import pfgm.nn.Network;
import pfgm.nn.NetworkConfig;
import pfgm.nn.Networks;
import pfgm.ode.Flow;
import pfgm.ode.OdeSolver;
import pfgm.train.Loss;
import pfgm.train.TrainConfig;
import pfgm.util.Rng;

/**
 * Poisson Flow Generative Models (Xu et al. 2022; the official losses.py and methods.py): the
 * network learns the normalized Poisson field of the data ({@link PoissonFieldLoss}), whose flow
 * in z ({@link PoissonFlow}) carries the uniform distribution on a large hemisphere (the
 * {@link Prior} on the z_max plane) to the data.
 */
public final class Pfgm implements Method {
    public static final String NAME = "pfgm";
    private final PfgmConfig config;

    public Pfgm(PfgmConfig config) {
        this.config = config;
    }

    public PfgmConfig config() {
        return config;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** One output more than the data's N: v_z, the field along z. */
    @Override
    public Block network(NetworkConfig network) {
        return Networks.build(network, 1);
    }

    @Override
    public Loss loss(TrainConfig train) {
        return new PoissonFieldLoss(config, train.batchSize(), train.smallBatchSize());
    }

    /** With pfgm.preconditionScale > 0 the network learns only a correction to one charge's field. */
    @Override
    public Network model(Network network) {
        return config.preconditionScale() > 0
                ? new PointChargePreconditioning(network, config.preconditionScale(), config.gamma()) : network;
    }

    @Override
    public NDArray prior(NDManager manager, int n, int dim, Rng rng) {
        return new Prior(dim, config.zMax(), config.upperNorm()).sample(manager, n, rng);
    }

    /** The unclipped prior: the half-space Poisson kernel on the z_max plane. */
    @Override
    public NDArray priorLogDensity(NDArray x) {
        return new Prior(Math.toIntExact(x.getShape().get(1)), config.zMax(), Double.MAX_VALUE).logDensity(x);
    }

    @Override
    public Flow flow(Network model, int dim) {
        return PoissonFlow.of(model, config).flow();
    }

    /** Fixed steps in z, RK45 in log z, as the official samplers. */
    @Override
    public Flow flow(Network model, int dim, OdeSolver solver) {
        return PoissonFlow.of(model, config).flowFor(solver);
    }
}
