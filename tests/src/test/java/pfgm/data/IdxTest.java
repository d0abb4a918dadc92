package pfgm.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pfgm.ManagedArrays;

/** IDX files the test writes byte by byte, read back through the library. */
class IdxTest extends ManagedArrays {
    static final int COUNT = 3;
    static final int ROWS = 4;
    static final int COLS = 5;
    @TempDir
    Path dir;

    /** Pixel (i, r, c) = 50 i + 5 r + c + 100, so values above 127 check the unsigned reading. */
    static byte[] pixels() {
        byte[] pixels = new byte[COUNT * ROWS * COLS];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (50 * (i / (ROWS * COLS)) + i % (ROWS * COLS) + 100);
        }
        return pixels;
    }

    static byte[] imagesFile(int magic) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes); // big-endian, as IDX is
        out.writeInt(magic);
        out.writeInt(COUNT);
        out.writeInt(ROWS);
        out.writeInt(COLS);
        out.write(pixels());
        return bytes.toByteArray();
    }

    static byte[] labelsFile(int count) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x00000801);
        out.writeInt(count);
        for (int i = 0; i < count; i++) {
            out.write(new int[] {7, 0, 9, 3}[i]);
        }
        return bytes.toByteArray();
    }

    static Path gzip(Path path, byte[] content) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(path))) {
            out.write(content);
        }
        return path;
    }

    @Test
    void plainFilesRoundTrip() throws Exception {
        Path images = Files.write(dir.resolve("images"), imagesFile(0x00000803));
        Path labels = Files.write(dir.resolve("labels"), labelsFile(COUNT));
        try (ImageData data = Idx.load(manager, images, labels)) {
            assertEquals(new Shape(COUNT, 1, ROWS, COLS), data.images().getShape());
            assertEquals(DataType.UINT8, data.images().getDataType());
            assertArrayEquals(pixels(), data.images().toByteArray());
            assertArrayEquals(new int[] {7, 0, 9}, data.labels().toIntArray());
            assertEquals(100 + 50 * 2 + 5 * 3 + 4, data.images().getUint8(2, 0, 3, 4));
        }
    }

    @Test
    void gzippedFilesRoundTrip() throws Exception {
        Path images = gzip(dir.resolve("images.gz"), imagesFile(0x00000803));
        Path labels = gzip(dir.resolve("labels.gz"), labelsFile(COUNT));
        try (ImageData data = Idx.load(manager, images, labels)) {
            assertArrayEquals(pixels(), data.images().toByteArray());
            assertArrayEquals(new int[] {7, 0, 9}, data.labels().toIntArray());
        }
    }

    @Test
    void truncatedFileNamesTheFileAndBothSizes() throws Exception {
        byte[] whole = imagesFile(0x00000803);
        Path images = Files.write(dir.resolve("short-images"), Arrays.copyOf(whole, whole.length - 1));
        Path labels = Files.write(dir.resolve("labels"), labelsFile(COUNT));
        String message = assertThrows(IllegalArgumentException.class, () -> Idx.load(manager, images, labels)).getMessage();
        assertTrue(message.contains(images.toString()), message);
        assertTrue(message.contains("truncated"), message);
        assertTrue(message.contains(Integer.toString(whole.length)) && message.contains(Integer.toString(whole.length - 1)), message);
    }

    @Test
    void truncatedGzipSaysSizesAfterDecompression() throws Exception {
        byte[] whole = imagesFile(0x00000803);
        Path images = gzip(dir.resolve("images.gz"), Arrays.copyOf(whole, 30));
        Path labels = Files.write(dir.resolve("labels"), labelsFile(COUNT));
        String message = assertThrows(IllegalArgumentException.class, () -> Idx.load(manager, images, labels)).getMessage();
        assertTrue(message.contains(images.toString()) && message.contains("after decompression")
                && message.contains(whole.length + " bytes") && message.contains("found 30"), message);
    }

    @Test
    void cutGzipStreamIsAClearError() throws Exception {
        Path whole = gzip(dir.resolve("whole.gz"), imagesFile(0x00000803));
        byte[] compressed = Files.readAllBytes(whole);
        Path images = Files.write(dir.resolve("cut.gz"), Arrays.copyOf(compressed, compressed.length / 2));
        Path labels = Files.write(dir.resolve("labels"), labelsFile(COUNT));
        String message = assertThrows(IllegalArgumentException.class, () -> Idx.load(manager, images, labels)).getMessage();
        assertTrue(message.contains(images.toString()) && message.contains("gzip"), message);
    }

    @Test
    void trailingBytesAreRejected() throws Exception {
        byte[] whole = imagesFile(0x00000803);
        Path images = Files.write(dir.resolve("long-images"), Arrays.copyOf(whole, whole.length + 7));
        Path labels = Files.write(dir.resolve("labels"), labelsFile(COUNT));
        String message = assertThrows(IllegalArgumentException.class, () -> Idx.load(manager, images, labels)).getMessage();
        assertTrue(message.contains("longer than declared") && message.contains("found " + (whole.length + 7)), message);
    }

    @Test
    void wrongMagicNumbersAreRejected() throws Exception {
        Path labels = Files.write(dir.resolve("labels"), labelsFile(COUNT));
        Path images = Files.write(dir.resolve("images"), imagesFile(0x00000803));
        // A label file where the images belong, and an image file with a float type code (0x0d).
        String swapped = assertThrows(IllegalArgumentException.class, () -> Idx.load(manager, labels, images)).getMessage();
        assertTrue(swapped.contains(labels.toString()) && swapped.contains("0x00000801") && swapped.contains("0x00000803"), swapped);
        Path floats = Files.write(dir.resolve("floats"), imagesFile(0x00000d03));
        String typed = assertThrows(IllegalArgumentException.class, () -> Idx.load(manager, floats, labels)).getMessage();
        assertTrue(typed.contains("magic number 0x00000d03"), typed);
    }

    @Test
    void imageAndLabelCountsMustAgree() throws Exception {
        Path images = Files.write(dir.resolve("images"), imagesFile(0x00000803));
        Path labels = Files.write(dir.resolve("labels"), labelsFile(COUNT + 1));
        String message = assertThrows(IllegalArgumentException.class, () -> Idx.load(manager, images, labels)).getMessage();
        assertTrue(message.contains("3 images") && message.contains("4 labels"), message);
    }

    @Test
    void missingFileIsNamed() {
        Path absent = dir.resolve("absent");
        String message = assertThrows(IllegalArgumentException.class, () -> Idx.load(manager, absent, absent)).getMessage();
        assertTrue(message.contains(absent.toString()), message);
    }
}
