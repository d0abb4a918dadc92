package pfgm.nn;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

/** Builds the network a configuration describes and reports its size. */
public final class Networks {
    private Networks() {}

    /**
     * @param extraOutputs values per sample beyond the data's N that the method needs (1 for
     *     PFGM's v_z, 0 for the others): the network returns (b, N + extraOutputs)
     */
    public static Block build(NetworkConfig config, int extraOutputs) {
        if (extraOutputs < 0 || extraOutputs > 1) {
            throw new IllegalArgumentException("networks return N or N + 1 values per sample, not N + " + extraOutputs);
        }
        return config.kind() == NetworkConfig.Kind.MLP ? new Mlp(config, extraOutputs) : new UNet(config, extraOutputs == 1);
    }

    /** Trainable parameters of an initialized block. */
    public static long parameterCount(Block block) {
        long total = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                total += p.getValue().getArray().size();
            }
        }
        return total;
    }

    /** Builds and initializes a network on a scratch manager just to count its parameters. */
    public static long parameterCount(NetworkConfig config, int extraOutputs) {
        try (NDManager scratch = NDManager.newBaseManager(ai.djl.Device.cpu())) { // cpu: only to count the weights
            Block block = build(config, extraOutputs);
            block.initialize(scratch, DataType.FLOAT32, new Shape(1).addAll(config.sampleShape()), new Shape(1));
            return parameterCount(block);
        }
    }

    /** One line per top-level child with its parameter count, then the total. */
    public static String summary(Block block) {
        StringBuilder out = new StringBuilder();
        java.util.Map<String, Long> perChild = new java.util.LinkedHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                String child = p.getKey().contains("_") ? p.getKey().substring(0, p.getKey().indexOf('_')) : p.getKey();
                perChild.merge(child, p.getValue().getArray().size(), Long::sum);
            }
        }
        perChild.forEach((name, count) -> out.append(String.format("%-24s %,12d%n", name, count)));
        out.append(String.format("%-24s %,12d%n", "total", parameterCount(block)));
        return out.toString();
    }
}
