package pfgm.method;

import pfgm.config.Preset;

/** The method a preset names, built from its settings. */
public final class Methods {
    private Methods() {}

    public static Method of(Preset preset) {
        return switch (preset.method()) {
            case "pfgm" -> new Pfgm(preset.pfgm(), preset.train().smallBatchSize());
            case "vp" -> new Vp(preset.sde());
            case "subvp" -> new SubVp(preset.sde());
            case "ve" -> new Ve(preset.sde());
            // The network's embedding decides its label: c_noise, or exp(c_noise) for networks that embed a log.
            case "pfgmpp" -> Pfgmpp.of(preset.pfgmpp(), preset.network());
            default -> throw new IllegalArgumentException("unknown method '" + preset.method() + "'; methods: "
                    + String.join(", ", Preset.METHODS));
        };
    }
}
