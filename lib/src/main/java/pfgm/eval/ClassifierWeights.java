package pfgm.eval;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The weights file of a digit classifier and its identity: the kit's committed file for "mnist" or
 * "fashion", accepted only with the SHA-256 written here, or a file the user names by path, whose
 * identity says custom unless its bytes are the committed ones.
 *
 * <p>The committed files are part of the kit as pytorch-fid's Inception weights are part of
 * pytorch-fid: the same bytes on every machine, so the same features and the same FID. They were
 * made once by {@code pfgm features train --data NAME --seed 0} ({@link ClassifierTraining});
 * retraining gives other bytes on another CPU, so a new file is a new version: it gets its hash
 * here and its hash in its name.
 */
public final class ClassifierWeights {
    /** Where the committed files are in the source tree (for messages) and in the library jar. */
    private static final String SOURCE_FOLDER = "lib/src/main/resources/pfgm/eval/";
    private static final String RESOURCE_FOLDER = "/pfgm/eval/";
    /** The SHA-256 of each committed weights file. */
    private static final Map<String, String> COMMITTED = Map.of(
            "mnist", "60a80699a2d3ca2442f2e05c26f68309a6df78fc44a56377aab7c14c5558e631",
            "fashion", "d0c0c5674bf05353756e593d48ab0afd821236955b828a35e535aa990d1a1626");

    private final byte[] bytes;
    private final FeatureIdentity identity;

    private ClassifierWeights(byte[] bytes, FeatureIdentity identity) {
        this.bytes = bytes;
        this.identity = identity;
    }

    /** The committed weights of the "mnist" or "fashion" classifier, after checking their SHA-256. */
    public static ClassifierWeights committed(String dataset) {
        String expected = committedHash(dataset);
        String resource = RESOURCE_FOLDER + fileName(dataset, expected);
        byte[] bytes;
        try (InputStream in = ClassifierWeights.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the library has no " + resource + ", the committed " + dataset
                        + " classifier: rebuild it from a full checkout (mvn -pl lib -am package)");
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource + " from the library: " + e.getMessage(), e);
        }
        return committed(dataset, bytes, resource);
    }

    /**
     * {@code bytes} as the committed weights of {@code dataset}, refused unless their SHA-256 is the
     * committed one; {@code source} names where they came from in the message.
     */
    static ClassifierWeights committed(String dataset, byte[] bytes, String source) {
        String expected = committedHash(dataset);
        String actual = FeatureIdentity.sha256(bytes);
        if (!actual.equals(expected)) {
            throw new IllegalStateException("the " + dataset + " classifier weights " + source + " have SHA-256 " + actual
                    + ", which this kit does not know (its " + dataset + " weights are " + expected + "): the file was"
                    + " changed or damaged. Restore it (git checkout " + SOURCE_FOLDER + ") and rebuild the library; to"
                    + " score with other weights on purpose, name them with --features " + dataset + ":PATH (result rows"
                    + " then say " + new FeatureIdentity(networkName(dataset), actual, true) + ")");
        }
        return new ClassifierWeights(bytes, new FeatureIdentity(networkName(dataset), actual, false));
    }

    /**
     * Weights for the {@code dataset} classifier's architecture from a file the user names (as
     * {@code pfgm features train} writes): custom unless the bytes are the committed ones.
     */
    public static ClassifierWeights file(String dataset, Path file) {
        String expected = committedHash(dataset);
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException("no classifier weights at " + file + " (--features " + dataset + ":PATH):"
                    + " give a readable file that pfgm features train --data " + dataset + " --out PATH wrote, or --features "
                    + dataset + " for the kit's committed classifier");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read classifier weights " + file + ": " + e.getMessage(), e);
        }
        String hash = FeatureIdentity.sha256(bytes);
        return new ClassifierWeights(bytes, new FeatureIdentity(networkName(dataset), hash, !hash.equals(expected)));
    }

    /** The file name of a committed weights file: the hash in the name, as pytorch-fid names its Inception weights. */
    public static String fileName(String dataset, String sha256) {
        return networkName(dataset) + "-" + sha256.substring(0, FeatureIdentity.SHORT_HEX_DIGITS) + ".params";
    }

    static String networkName(String dataset) {
        return dataset + "-classifier";
    }

    /** The SHA-256 of the committed weights of the "mnist" or "fashion" classifier. */
    public static String committedHash(String dataset) {
        String hash = COMMITTED.get(dataset);
        if (hash == null) {
            throw new IllegalArgumentException("the kit's classifiers are for mnist and fashion, not '" + dataset + "'");
        }
        return hash;
    }

    /** The file's bytes (not a copy: callers only read them). */
    byte[] bytes() {
        return bytes;
    }

    public FeatureIdentity identity() {
        return identity;
    }
}
