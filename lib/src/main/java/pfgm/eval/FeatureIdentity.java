package pfgm.eval;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Which feature network made a set of features: its name and the SHA-256 of the file its weights
 * came from. Two metric rows are comparable only when their identities are equal; the short form
 * ({@link #toString}) is what result rows carry.
 *
 * @param name the network's kind, e.g. "mnist-classifier" or "inception"
 * @param sha256 the SHA-256 of its weights file, 64 lower-case hex digits
 * @param custom true when the kit does not vouch for these bytes (weights the user named by path
 *     that are not the committed ones), false for the kit's committed weights
 */
public record FeatureIdentity(String name, String sha256, boolean custom) {
    /** Hex digits of the hash in the short form: 48 bits, ample to tell weights files apart. */
    public static final int SHORT_HEX_DIGITS = 12;

    public FeatureIdentity {
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("a SHA-256 is 64 lower-case hex digits, got '" + sha256 + "'");
        }
    }

    /** The hash's first {@value #SHORT_HEX_DIGITS} hex digits. */
    public String shortHash() {
        return sha256.substring(0, SHORT_HEX_DIGITS);
    }

    /** "mnist-classifier@3f09c2d1a7b4", or "mnist-classifier-custom@..." for weights the kit does not know. */
    @Override
    public String toString() {
        return name + (custom ? "-custom" : "") + "@" + shortHash();
    }

    /** The SHA-256 of some bytes, as 64 lower-case hex digits. */
    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    /** The SHA-256 of a file, read in pieces (an Inception file is about 100 MB). */
    public static String sha256(Path file) throws IOException {
        MessageDigest digest = digest();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                digest.update(buffer, 0, read);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
