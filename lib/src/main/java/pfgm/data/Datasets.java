package pfgm.data;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Image data sets by name, as the command line and the notebooks give them:
 * <ul>
 *   <li>{@code mnist}, {@code fashion}: IDX files in {@code mnist/} and {@code fashion-mnist/} of
 *       the data directory, put there by {@code environment/fetch-data};
 *   <li>{@code cifar10} (in {@code cifar10/} of the data directory) or {@code cifar10:<dir>}: the
 *       binary batches, which the user downloads;
 *   <li>{@code folder:<dir>[,crop=<px>][,size=<px>][,limit=<n>]}: an {@link ImageFolder}
 *       (defaults: crop the short side, size 64, all files; the split does not apply).
 * </ul>
 */
public final class Datasets {
    /** The script that downloads the packaged data sets. */
    public static final String FETCH_COMMAND = "environment/fetch-data";

    private Datasets() {}

    /** Loads {@code name} from the {@link #dataDirectory()}. */
    public static ImageData load(NDManager manager, String name, Split split) {
        return load(manager, name, dataDirectory(), split);
    }

    public static ImageData load(NDManager manager, String name, Path dataDir, Split split) {
        String kind = name.contains(":") ? name.substring(0, name.indexOf(':')) : name;
        String argument = name.contains(":") ? name.substring(name.indexOf(':') + 1) : null;
        return switch (kind) {
            case "mnist" -> idx(manager, "MNIST", dataDir.resolve("mnist"), split);
            case "fashion", "fashion-mnist" -> idx(manager, "Fashion-MNIST", dataDir.resolve("fashion-mnist"), split);
            case "cifar10" -> Cifar10.load(manager, argument == null ? dataDir.resolve("cifar10") : Path.of(argument), split);
            case "folder" -> folder(argument == null ? "" : argument).load(manager);
            default -> throw new IllegalArgumentException("unknown data set '" + name
                    + "'; use mnist, fashion, cifar10, cifar10:<dir> or folder:<dir>[,crop=<px>][,size=<px>][,limit=<n>]");
        };
    }

    /**
     * The {@code data/} directory of the kit: the {@code PFGM_DATA} environment variable if set,
     * else the nearest {@code data/} with a README.md in the working directory or above it (so
     * notebooks and tests, which run in sub-directories, find it too).
     */
    public static Path dataDirectory() {
        String configured = System.getenv("PFGM_DATA");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("data").resolve("README.md"))) {
                return dir.resolve("data");
            }
        }
        throw new IllegalArgumentException("no data/README.md in " + start
                + " or above; run from inside the kit or set PFGM_DATA to its data directory");
    }

    /** The IDX pair of a split, under the names MNIST's distribution uses, plain or gzipped. */
    private static ImageData idx(NDManager manager, String title, Path dir, Split split) {
        String prefix = split == Split.TRAIN ? "train" : "t10k";
        Path images = existing(dir, prefix + "-images-idx3-ubyte");
        Path labels = existing(dir, prefix + "-labels-idx1-ubyte");
        if (images == null || labels == null) {
            throw new IllegalArgumentException(title + " " + split + " split not found: expected " + prefix
                    + "-images-idx3-ubyte[.gz] and " + prefix + "-labels-idx1-ubyte[.gz] in " + dir
                    + "; run " + FETCH_COMMAND + " to fetch it");
        }
        return Idx.load(manager, images, labels);
    }

    private static Path existing(Path dir, String name) {
        for (Path candidate : new Path[] {dir.resolve(name), dir.resolve(name + ".gz")}) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** Parses {@code <dir>[,crop=<px>][,size=<px>][,limit=<n>]}. */
    static ImageFolder folder(String spec) {
        String[] parts = spec.split(",");
        if (parts[0].isBlank()) {
            throw new IllegalArgumentException("folder data set needs a directory: folder:<dir>[,crop=<px>][,size=<px>][,limit=<n>]");
        }
        int crop = 0;
        int size = 64;
        int limit = 0;
        for (int i = 1; i < parts.length; i++) {
            String[] option = parts[i].split("=", 2);
            int value;
            try {
                value = Integer.parseInt(option.length == 2 ? option[1].trim() : "");
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("folder option '" + parts[i] + "' is not <name>=<integer>", e);
            }
            switch (option[0].trim()) {
                case "crop" -> crop = value;
                case "size" -> size = value;
                case "limit" -> limit = value;
                default -> throw new IllegalArgumentException("unknown folder option '" + option[0]
                        + "'; use crop, size or limit");
            }
        }
        return new ImageFolder(Path.of(parts[0]), crop, size, limit);
    }
}
