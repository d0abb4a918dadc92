package pfgm.config;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import pfgm.method.Method;
import pfgm.method.pfgm.Pfgm;
import pfgm.method.pfgmpp.Pfgmpp;
import pfgm.method.sde.SubVp;
import pfgm.method.sde.Ve;
import pfgm.method.sde.Vp;

/**
 * A method a preset can name ({@code method=vp}): how it is built from the preset's settings, and
 * which of the preset's {@link MethodSettings} groups it reads (the others do not change what a
 * run of it learns). Method names are parsed here and nowhere else. A new method is its class,
 * one {@link #register} call and a preset ({@link Presets#register}); the PFGM++ line below is an
 * example.
 *
 * @param name what presets and {@code --set method=} call it
 * @param settings the preset's group of this method's settings; null, or returning null, for a method without any
 * @param factory builds the method from a preset
 */
public record MethodType(String name, Function<Preset, Record> settings, Function<Preset, Method> factory) {
    private static final Map<String, MethodType> REGISTERED = new LinkedHashMap<>();

    public static final MethodType PFGM = register(new MethodType(Pfgm.NAME, Preset::pfgm, p -> new Pfgm(p.pfgm())));
    public static final MethodType VP = register(new MethodType(Vp.NAME, Preset::sde, p -> new Vp(p.sde())));
    public static final MethodType SUBVP = register(new MethodType(SubVp.NAME, Preset::sde, p -> new SubVp(p.sde())));
    public static final MethodType VE = register(new MethodType(Ve.NAME, Preset::sde, p -> new Ve(p.sde())));
    /** The network's embedding decides its label: c_noise, or exp(c_noise) for networks that embed a log. */
    public static final MethodType PFGMPP = register(new MethodType(Pfgmpp.NAME, Preset::pfgmpp,
            p -> Pfgmpp.of(p.pfgmpp(), p.network())));

    /** Makes a method nameable in presets; its name must be new. */
    public static synchronized MethodType register(MethodType type) {
        if (REGISTERED.putIfAbsent(type.name(), type) != null) {
            throw new IllegalArgumentException("a method named '" + type.name() + "' is registered already");
        }
        return type;
    }

    /** The method of that name, as presets and --set write it. */
    public static synchronized MethodType parse(String name) {
        MethodType type = REGISTERED.get(name.strip());
        if (type == null) {
            throw new IllegalArgumentException("unknown method '" + name.strip() + "'; methods: "
                    + String.join(", ", REGISTERED.keySet()));
        }
        return type;
    }

    public static synchronized Collection<MethodType> all() {
        return Collections.unmodifiableCollection(new java.util.ArrayList<>(REGISTERED.values()));
    }

    public Method create(Preset preset) {
        return factory.apply(preset);
    }

    /** The preset's group of this method's settings, or null for a method without settings of its own. */
    public Record settingsOf(Preset preset) {
        return settings == null ? null : settings.apply(preset);
    }

    @Override
    public String toString() {
        return name;
    }
}
