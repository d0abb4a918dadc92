package pfgm.train;

import pfgm.nn.Network;

/**
 * What the trainer needs of a generative method: its loss under the training settings, and the
 * model its loss scores, made from the bare network (a preconditioning, or the network itself).
 */
public interface Objective {
    Loss loss(TrainConfig config);

    /** The model a method's loss and sampler see, from the network being trained (default: the network). */
    default Network model(Network network) {
        return network;
    }
}
