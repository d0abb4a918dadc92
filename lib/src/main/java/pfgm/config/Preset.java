package pfgm.config;

import pfgm.nn.NetworkConfig;

/**
 * Everything a training run needs, as plain data: the data set, the network, training and
 * sampling settings. {@link Records#with} overrides any of them by name.
 *
 * @param name the preset's name
 * @param data a data set name as {@code pfgm.data.Datasets} reads it ("mnist", "fashion",
 *     "cifar10:DIR", "folder:DIR,...") or "toy:NAME" for a 2-D toy set
 * @param imageSize resize images to this height and width; 0 keeps the data's own size
 * @param flip random horizontal flips
 */
public record Preset(String name, String data, int imageSize, boolean flip, NetworkConfig network, TrainConfig train,
        SamplingConfig sampling) {

    public boolean isToy() {
        return data.startsWith("toy:");
    }

    /** The settings that define the run's results; intervals and the step budget may change on resume. */
    public String fingerprint() {
        TrainConfig t = train;
        TrainConfig stable = new TrainConfig(t.batchSize(), t.smallBatchSize(), t.lr(), t.beta1(), t.eps(), t.warmup(),
                t.gradClip(), t.emaDecay(), 0, 1, 1, 0, t.sigma(), t.tau(), t.M(), t.restrictM(), t.gamma(), t.seed());
        return Records.describe(new Preset(name, data, imageSize, flip, network, stable, sampling)).replace('\n', ';');
    }
}
