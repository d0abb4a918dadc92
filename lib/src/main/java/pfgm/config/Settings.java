package pfgm.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Reads and overrides the settings held in (nested) records by name, so that presets stay plain
 * records and {@code --set lr=1e-3} or {@code --set train.lr=1e-3} reach any field. This is the
 * one parser of {@code --set}: the commands, the notebooks and the run directory all go through it.
 */
public final class Settings {
    /**
     * Settings that moved, by their old paths: run.properties files and habits from before the
     * sampler's settings were grouped by sampler still work.
     */
    static final Map<String, String> MOVED = Map.of(
            "sampling.rtol", "sampling.rk45.rtol", "sampling.atol", "sampling.rk45.atol",
            "sampling.predictor", "sampling.pc.predictor", "sampling.corrector", "sampling.pc.corrector",
            "sampling.snr", "sampling.pc.snr", "sampling.correctorSteps", "sampling.pc.correctorSteps");

    private Settings() {}

    /** Parses "key=value" assignments (the command line's --set) into overrides, in order. */
    public static Map<String, String> assignments(List<String> assignments) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String a : assignments == null ? List.<String>of() : assignments) {
            int eq = a.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("--set takes key=value, got '" + a + "'");
            }
            out.put(a.substring(0, eq).strip(), a.substring(eq + 1).strip());
        }
        return out;
    }

    /** {@code record} with every override applied in order. */
    public static <R extends Record> R apply(R record, Map<String, String> overrides) {
        R result = record;
        for (Map.Entry<String, String> o : overrides.entrySet()) {
            result = with(result, o.getKey(), o.getValue());
        }
        return result;
    }

    /**
     * A copy of {@code record} with the component at {@code path} set from text. A dotted path
     * ("train.lr") names a setting exactly; a shorter name must end exactly one path, unless it is
     * itself a whole path ({@code imageSize} is the preset's own, not {@code network.imageSize}).
     */
    @SuppressWarnings("unchecked")
    public static <R extends Record> R with(R record, String path, String value) {
        String name = MOVED.getOrDefault(path, path);
        List<String> all = paths(record, "");
        List<String> matches = all.contains(name) ? List.of(name)
                : all.stream().filter(p -> p.endsWith("." + name)).collect(Collectors.toList());
        if (matches.isEmpty()) {
            throw new IllegalArgumentException("no setting '" + path + "'; settings are: " + String.join(", ", all));
        }
        if (matches.size() > 1) {
            throw new IllegalArgumentException("'" + path + "' is ambiguous: " + String.join(", ", matches));
        }
        return (R) set(record, matches.get(0).split("\\."), 0, value);
    }

    /** {@code record} with every "path = value" line of a {@link #describe} applied (its inverse, for settings stored as text). */
    public static <R extends Record> R read(R record, String description) {
        R result = record;
        for (String line : description.split("\n")) {
            int eq = line.indexOf(" = ");
            if (eq > 0) {
                result = with(result, line.substring(0, eq), line.substring(eq + 3));
            }
        }
        return result;
    }

    /** Every leaf setting as "path = value", one per line, in declaration order. */
    public static String describe(Record record) {
        return describe(record, c -> true);
    }

    /** The leaf settings under components {@code keep} accepts (at every level), as "path = value" lines. */
    public static String describe(Record record, Predicate<RecordComponent> keep) {
        StringBuilder out = new StringBuilder();
        for (String path : paths(record, "", keep)) {
            out.append(path).append(" = ").append(format(get(record, path.split("\\."), 0))).append('\n');
        }
        return out.toString();
    }

    private static List<String> paths(Record record, String prefix) {
        return paths(record, prefix, c -> true);
    }

    private static List<String> paths(Record record, String prefix, Predicate<RecordComponent> keep) {
        List<String> out = new ArrayList<>();
        for (RecordComponent c : record.getClass().getRecordComponents()) {
            if (!keep.test(c)) {
                continue;
            }
            Object value = read(record, c);
            if (value instanceof Record nested && parser(nested.getClass()) == null) { // a record with its own parse is one value
                out.addAll(paths(nested, prefix + c.getName() + ".", keep));
            } else {
                out.add(prefix + c.getName());
            }
        }
        return out;
    }

    private static Object get(Record record, String[] path, int depth) {
        for (RecordComponent c : record.getClass().getRecordComponents()) {
            if (c.getName().equals(path[depth])) {
                Object value = read(record, c);
                return depth == path.length - 1 ? value : get((Record) value, path, depth + 1);
            }
        }
        throw new IllegalStateException("no component " + path[depth]);
    }

    private static Record set(Record record, String[] path, int depth, String text) {
        RecordComponent[] components = record.getClass().getRecordComponents();
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            values[i] = read(record, components[i]);
            if (components[i].getName().equals(path[depth])) {
                values[i] = depth == path.length - 1 ? parse(components[i].getType(), text, String.join(".", path))
                        : set((Record) values[i], path, depth + 1, text);
            }
        }
        try {
            Constructor<?> constructor = record.getClass().getDeclaredConstructor(types);
            constructor.setAccessible(true);
            return (Record) constructor.newInstance(values);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException bad) {
                throw bad;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object parse(Class<?> type, String text, String name) {
        try {
            String t = text.strip();
            if (type == int.class || type == Integer.class) {
                return Integer.parseInt(t.replace("_", ""));
            } else if (type == long.class || type == Long.class) {
                return Long.parseLong(t.replace("_", ""));
            } else if (type == double.class || type == Double.class) {
                return Double.parseDouble(t);
            } else if (type == float.class || type == Float.class) {
                return Float.parseFloat(t);
            } else if (type == boolean.class || type == Boolean.class) {
                if (!t.equalsIgnoreCase("true") && !t.equalsIgnoreCase("false")) {
                    throw new NumberFormatException("not true or false");
                }
                return Boolean.parseBoolean(t);
            } else if (type == String.class) {
                return t;
            } else if (type == int[].class) {
                return t.isEmpty() ? new int[0] : Arrays.stream(t.split(",")).map(String::strip).mapToInt(Integer::parseInt).toArray();
            } else if (parser(type) != null) {
                return parser(type).invoke(null, t);
            } else if (type.isEnum()) {
                for (Object constant : type.getEnumConstants()) {
                    if (((Enum<?>) constant).name().equalsIgnoreCase(t)) {
                        return constant;
                    }
                }
                throw new NumberFormatException("one of " + Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT));
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad value '" + text + "' for " + name + " (" + type.getSimpleName() + "): "
                    + e.getMessage());
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("bad value '" + text + "' for " + name + ": " + e.getCause().getMessage(), e);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalArgumentException(name + " has type " + type.getSimpleName() + ", which --set cannot change");
    }

    /** A type's own {@code public static T parse(String)}, or null: how settings of the kit's types are read. */
    private static java.lang.reflect.Method parser(Class<?> type) {
        try {
            java.lang.reflect.Method parse = type.getMethod("parse", String.class);
            return java.lang.reflect.Modifier.isStatic(parse.getModifiers()) && parse.getReturnType() == type ? parse : null;
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    private static String format(Object value) {
        return value instanceof int[] array ? Arrays.stream(array).mapToObj(Integer::toString).collect(Collectors.joining(","))
                : String.valueOf(value);
    }

    private static Object read(Record record, RecordComponent component) {
        try {
            var accessor = component.getAccessor();
            accessor.setAccessible(true);
            return accessor.invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
