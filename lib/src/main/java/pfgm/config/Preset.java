package pfgm.config;

import static pfgm.util.Checks.require;

import pfgm.method.Method;
import pfgm.method.SamplingSetting;
import pfgm.method.pfgm.PfgmConfig;
import pfgm.method.pfgmpp.PfgmppConfig;
import pfgm.method.sde.SdeConfig;
import pfgm.nn.NetworkConfig;
import pfgm.sampling.SamplingConfig;
import pfgm.train.TrainConfig;

/**
 * Everything a training run needs, as plain data: the data set, the method and its settings, the
 * network, training and sampling settings. {@link Settings#with} overrides any of them by name
 * ({@code method=vp}, {@code pfgmpp.D=128}, {@code network.nf=64}, ...).
 *
 * @param name the preset's name
 * @param data a data set name as {@code pfgm.data.Datasets} reads it ("mnist", "fashion",
 *     "cifar10:DIR", "folder:DIR,...") or "toy:NAME" for a 2-D toy set
 * @param imageSize resize images to this height and width; 0 keeps the data's own size
 * @param flip random horizontal flips
 * @param method the generative method ({@link MethodType}: pfgm, vp, subvp, ve, pfgmpp)
 * @param pfgm PFGM's settings (used when method = pfgm)
 * @param sde the diffusion SDEs' settings (vp, subvp, ve)
 * @param pfgmpp PFGM++'s settings (pfgmpp)
 */
public record Preset(String name, String data, int imageSize, boolean flip, MethodType method, NetworkConfig network,
        TrainConfig train, @SamplingSetting SamplingConfig sampling, @MethodSettings PfgmConfig pfgm,
        @MethodSettings SdeConfig sde, @MethodSettings PfgmppConfig pfgmpp) {

    public Preset {
        require(pfgm.preconditionScale() == 0 || network.kind() == NetworkConfig.Kind.MLP,
                "pfgm.preconditionScale needs an MLP (vector data), got network.kind " + network.kind());
    }

    public boolean isToy() {
        return data.startsWith("toy:");
    }

    /** The method this preset names, built from its settings. */
    public Method createMethod() {
        return method.create(this);
    }

    public Preset withTrain(TrainConfig value) {
        return new Preset(name, data, imageSize, flip, method, network, value, sampling, pfgm, sde, pfgmpp);
    }

    public Preset withSampling(SamplingConfig value) {
        return new Preset(name, data, imageSize, flip, method, network, train, value, pfgm, sde, pfgmpp);
    }

    /** This preset sampled with the sampler a label names: "euler-100", "heun-18", "pc-1000", "rk45". */
    public Preset withSampler(String label) {
        return withSampling(sampling.withSampler(label));
    }
}
