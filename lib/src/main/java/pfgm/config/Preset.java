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
 * @param preconditionScale 0: the network predicts the normalized field itself (the paper's networks);
 *     s > 0 (vector data only): it is wrapped in {@code pfgm.train.Preconditioned} with scale s, so it
 *     sees x squeezed into the ball of radius s and predicts the correction to one charge's field
 */
public record Preset(String name, String data, int imageSize, boolean flip, NetworkConfig network,
        double preconditionScale, TrainConfig train, SamplingConfig sampling) {

    public Preset {
        TrainConfig.require(preconditionScale >= 0, "preconditionScale must be >= 0, got " + preconditionScale);
        TrainConfig.require(preconditionScale == 0 || network.kind() == NetworkConfig.Kind.MLP,
                "preconditionScale needs an MLP (vector data), got " + network.kind());
    }

    public boolean isToy() {
        return data.startsWith("toy:");
    }

    /** The settings that define the run's results; intervals and the step budget may change on resume. */
    public String fingerprint() {
        TrainConfig t = train;
        TrainConfig stable = new TrainConfig(t.batchSize(), t.smallBatchSize(), t.lr(), t.beta1(), t.eps(), t.warmup(),
                t.gradClip(), t.emaDecay(), 0, 1, 1, 0, t.sigma(), t.tau(), t.M(), t.restrictM(), t.gamma(), t.seed());
        String described = Records.describe(new Preset(name, data, imageSize, flip, network, preconditionScale, stable, sampling));
        // Runs written before the setting existed had no such line; without preconditioning they match still.
        if (preconditionScale == 0) {
            described = described.replace("preconditionScale = 0.0\n", "");
        }
        return described.replace('\n', ';');
    }
}
