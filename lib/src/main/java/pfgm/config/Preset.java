package pfgm.config;

import pfgm.nn.NetworkConfig;

/**
 * Everything a training run needs, as plain data: the data set, the method and its settings, the
 * network, training and sampling settings. {@link Records#with} overrides any of them by name
 * ({@code method=vp}, {@code pfgmpp.D=128}, {@code network.nf=64}, ...).
 *
 * @param name the preset's name
 * @param data a data set name as {@code pfgm.data.Datasets} reads it ("mnist", "fashion",
 *     "cifar10:DIR", "folder:DIR,...") or "toy:NAME" for a 2-D toy set
 * @param imageSize resize images to this height and width; 0 keeps the data's own size
 * @param flip random horizontal flips
 * @param method the generative method: pfgm, vp, subvp, ve or pfgmpp ({@code pfgm.method.Methods})
 * @param pfgm PFGM's settings (used when method = pfgm)
 * @param sde the diffusion SDEs' settings (vp, subvp, ve)
 * @param pfgmpp PFGM++'s settings (pfgmpp)
 */
public record Preset(String name, String data, int imageSize, boolean flip, String method, NetworkConfig network,
        TrainConfig train, @SamplingSetting SamplingConfig sampling, PfgmConfig pfgm, SdeConfig sde, PfgmppConfig pfgmpp) {
    /** The methods {@code pfgm.method.Methods} builds. */
    public static final java.util.List<String> METHODS = java.util.List.of("pfgm", "vp", "subvp", "ve", "pfgmpp");

    public Preset {
        TrainConfig.require(METHODS.contains(method), "unknown method '" + method + "'; methods: " + String.join(", ", METHODS));
        TrainConfig.require(pfgm.preconditionScale() == 0 || network.kind() == NetworkConfig.Kind.MLP,
                "pfgm.preconditionScale needs an MLP (vector data), got network.kind " + network.kind());
    }

    public boolean isToy() {
        return data.startsWith("toy:");
    }

    /**
     * The settings that define what a run learns: all but the step budget, the intervals, the
     * settings only sampling reads, which may change when a run is resumed or sampled, and the
     * settings of the other methods.
     */
    public String fingerprint() {
        String own = settingsGroup(method);
        return Records.describe(withTrain(train.withoutSchedule()), c -> !c.isAnnotationPresent(SamplingSetting.class)
                && !(c.getDeclaringRecord() == Preset.class && METHOD_SETTINGS.contains(c.getName()) && !c.getName().equals(own)))
                // Runs from before preconditioning existed lack the line; without it they still match.
                .replace("pfgm.preconditionScale = 0.0\n", "")
                .replace('\n', ';');
    }

    /** The components holding one method's settings: a run of one method ignores the others'. */
    static final java.util.Set<String> METHOD_SETTINGS = java.util.Set.of("pfgm", "sde", "pfgmpp");

    /** The component of a method's own settings: pfgm, sde (vp, subvp, ve) or pfgmpp. */
    public static String settingsGroup(String method) {
        return switch (method) {
            case "vp", "subvp", "ve" -> "sde";
            default -> method;
        };
    }

    public Preset withTrain(TrainConfig value) {
        return new Preset(name, data, imageSize, flip, method, network, value, sampling, pfgm, sde, pfgmpp);
    }

    public Preset withSampling(SamplingConfig value) {
        return new Preset(name, data, imageSize, flip, method, network, train, value, pfgm, sde, pfgmpp);
    }

    /** This preset sampled with another solver and step count. */
    public Preset withSolver(String solver, int steps) {
        return withSampling(sampling.withSolver(solver, steps));
    }
}
