package pfgm.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * The whole content of a binary data file (IDX, CIFAR-10), decompressed when it is gzipped, with
 * the size checks both formats need. Errors name the file, so a bad download is easy to find.
 */
record BinaryFile(Path path, byte[] bytes, boolean gzipped) {

    static BinaryFile read(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("file not found: " + path);
        }
        boolean gzipped = false;
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(path))) {
            // Recognize gzip by its magic bytes rather than the name: neither format can start with 0x1f 0x8b.
            raw.mark(2);
            gzipped = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            try (InputStream in = gzipped ? new GZIPInputStream(raw, 1 << 16) : raw) {
                return new BinaryFile(path, in.readAllBytes(), gzipped);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(path + " could not be read"
                    + (gzipped ? " (truncated or corrupt gzip stream)" : "") + ": " + e.getMessage(), e);
        }
    }

    int length() {
        return bytes.length;
    }

    /** The big-endian 32-bit integer at {@code offset} (IDX headers), or an error if the file is shorter. */
    int intAt(int offset) {
        requireAtLeast(offset + 4, "its header");
        return (bytes[offset] & 0xFF) << 24 | (bytes[offset + 1] & 0xFF) << 16
                | (bytes[offset + 2] & 0xFF) << 8 | (bytes[offset + 3] & 0xFF);
    }

    /** Fails unless the file holds exactly {@code expected} bytes, which its {@code layout} implies. */
    void requireLength(long expected, String layout) {
        if (bytes.length != expected) {
            throw sizeError(expected, layout, bytes.length < expected ? "is truncated" : "is longer than declared");
        }
    }

    private void requireAtLeast(long expected, String layout) {
        if (bytes.length < expected) {
            throw sizeError(expected, layout, "is truncated");
        }
    }

    private IllegalArgumentException sizeError(long expected, String layout, String diagnosis) {
        return new IllegalArgumentException(String.format("%s %s: %s needs %d bytes%s, found %d",
                path, diagnosis, layout, expected, gzipped ? " after decompression" : "", bytes.length));
    }
}
