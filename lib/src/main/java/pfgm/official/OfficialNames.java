package pfgm.official;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import pfgm.nn.NetworkConfig;

/**
 * The official PFGM code's names (models/ncsnpp.py, state_dict without DataParallel's "module.")
 * for the parameters of the kit's DDPM++ and NCSN++ U-Nets.
 *
 * <p>The official network keeps its layers in one list, all_modules, in the order it calls them:
 * the Fourier projection (NCSN++), two dense layers, the input convolution, per level the residual
 * blocks (each followed by its attention block at the attention resolutions), the downsampling
 * residual block and the input pyramid's convolution, the middle, the up path, the output
 * GroupNorm and convolution. The kit's {@link UNet} adds its children in that same order, so its
 * i-th child is all_modules.i. Inside a residual block norm1, conv1, embed, norm2, conv2 and skip
 * are GroupNorm_0, Conv_0, Dense_0, GroupNorm_1, Conv_1 and Conv_2; inside an attention block
 * norm, q, k, v and out are GroupNorm_0 and NIN_0 to NIN_3. A NIN layer's weight W is (in, out)
 * where the kit's 1 x 1 convolution has (out, in, 1, 1): {@link Layout#NIN} transposes it. GroupNorm's
 * gamma and beta are torch's weight and bias.
 */
public final class OfficialNames {
    /** state_dict entries of the official network that are not PFGM parameters (NCSN++'s VE noise table). */
    public static final Set<String> IGNORED = Set.of("sigmas");

    /** How an official tensor becomes the kit's. */
    public enum Layout {
        /** Same shape, same order. */
        SAME,
        /** A NIN weight W (in, out) becomes a 1 x 1 convolution weight (out, in, 1, 1). */
        NIN;

        /** The official tensor's shape for a kit parameter of shape {@code kit}. */
        public Shape officialShape(Shape kit) {
            return this == SAME ? kit : new Shape(kit.get(1), kit.get(0));
        }

        /** The official tensor rearranged into the kit's layout. */
        public NDArray toKit(NDArray official) {
            return this == SAME ? official : official.transpose().reshape(official.getShape().get(1), official.getShape().get(0), 1, 1);
        }
    }

    /**
     * One parameter of the kit's network and where it lives in an official checkpoint.
     *
     * @param key the kit's parameter key (DJL's block path, e.g. 05down0_res0_02conv1_weight)
     * @param official the official name, e.g. all_modules.4.Conv_0.weight
     * @param layout how the official tensor is rearranged
     * @param trainable false for the Fourier projection's fixed W, which has no EMA entry
     */
    public record Entry(String key, String official, Layout layout, Shape shape, boolean trainable) {}

    private static final Map<String, String> RES_BLOCK = Map.of("norm1", "GroupNorm_0", "conv1", "Conv_0",
            "embed", "Dense_0", "norm2", "GroupNorm_1", "conv2", "Conv_1", "skip", "Conv_2");
    private static final Map<String, String> ATTENTION = Map.of("norm", "GroupNorm_0", "q", "NIN_0", "k", "NIN_1",
            "v", "NIN_2", "out", "NIN_3");

    private OfficialNames() {}

    /**
     * The official name of every parameter of an initialized DDPM++ or NCSN++ network, in the
     * network's order.
     *
     * @throws IllegalArgumentException for other kinds of network (the official PFGM code has no DDPM U-Net or MLP)
     */
    public static List<Entry> of(NetworkConfig config, Block network) {
        if (config.kind() != NetworkConfig.Kind.DDPMPP && config.kind() != NetworkConfig.Kind.NCSNPP) {
            throw new IllegalArgumentException("official checkpoints hold DDPM++ or NCSN++ networks; this network is "
                    + config.kind());
        }
        List<Entry> entries = new ArrayList<>();
        int module = 0;
        for (Pair<String, Block> child : network.getChildren()) {
            for (Pair<String, Parameter> p : child.getValue().getParameters()) {
                String key = child.getKey() + "_" + p.getKey();
                Parameter parameter = p.getValue();
                Shape shape = parameter.getArray().getShape();
                entries.add(entry(key, module, names(p.getKey()), shape, parameter.requiresGradient()));
            }
            module++;
        }
        return entries;
    }

    /** DJL's path inside a child ("01res_02conv1_weight") as plain names ([conv1, weight]), the skip wrapper dropped. */
    private static List<String> names(String path) {
        List<String> names = new ArrayList<>();
        for (String part : path.split("_")) {
            names.add(part.replaceFirst("^\\d+", ""));
        }
        if (names.get(0).equals("res")) {
            names.remove(0); // the up path's residual blocks sit inside a skip-concatenating wrapper
        }
        return names;
    }

    private static Entry entry(String key, int module, List<String> names, Shape shape, boolean trainable) {
        String prefix = "all_modules." + module + ".";
        String leaf = names.get(names.size() - 1);
        if (names.size() == 1) {
            return new Entry(key, prefix + torchName(leaf, key), Layout.SAME, shape, trainable);
        }
        String layer = names.get(0);
        if (names.size() == 2 && RES_BLOCK.containsKey(layer)) {
            return new Entry(key, prefix + RES_BLOCK.get(layer) + "." + torchName(leaf, key), Layout.SAME, shape, trainable);
        }
        if (names.size() == 2 && ATTENTION.containsKey(layer)) {
            if (layer.equals("norm")) {
                return new Entry(key, prefix + "GroupNorm_0." + torchName(leaf, key), Layout.SAME, shape, trainable);
            }
            boolean weight = leaf.equals("weight");
            return new Entry(key, prefix + ATTENTION.get(layer) + "." + (weight ? "W" : "b"), weight ? Layout.NIN : Layout.SAME,
                    shape, trainable);
        }
        if (names.size() == 2 && layer.equals("conv")) {
            return new Entry(key, prefix + "Conv2d_0." + torchName(leaf, key), Layout.SAME, shape, trainable);
        }
        throw new IllegalStateException("no official name for the kit's parameter " + key);
    }

    private static String torchName(String leaf, String key) {
        return switch (leaf) {
            case "weight", "gamma" -> "weight";
            case "bias", "beta" -> "bias";
            case "W" -> "W";
            default -> throw new IllegalStateException("no official name for the kit's parameter " + key);
        };
    }
}
