package pfgm.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pfgm.ManagedArrays;

/** CIFAR-10 binary batches the test writes record by record. */
class Cifar10Test extends ManagedArrays {
    @TempDir
    Path dir;

    /** The value written at channel c, row y, column x of image i: distinct enough to catch a wrong layout. */
    static int pixel(int i, int c, int y, int x) {
        return (i * 37 + c * 85 + y * 7 + x * 3) % 256;
    }

    /** A batch of records: label byte, then the red, green and blue planes. */
    static byte[] batch(int first, int count) {
        byte[] bytes = new byte[count * 3073];
        for (int r = 0; r < count; r++) {
            int i = first + r;
            bytes[r * 3073] = (byte) (i % 10);
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        bytes[r * 3073 + 1 + c * 1024 + y * 32 + x] = (byte) pixel(i, c, y, x);
                    }
                }
            }
        }
        return bytes;
    }

    @Test
    void batchRoundTripsLabelsAndChannelMajorPixels() throws Exception {
        Path file = Files.write(dir.resolve("test_batch.bin"), batch(0, 4));
        try (ImageData data = Cifar10.readBatch(manager, file)) {
            assertEquals(new Shape(4, 3, 32, 32), data.images().getShape());
            assertArrayEquals(new int[] {0, 1, 2, 3}, data.labels().toIntArray());
            for (int[] at : new int[][] {{0, 0, 0, 0}, {1, 2, 31, 0}, {3, 1, 5, 17}, {2, 2, 31, 31}}) {
                assertEquals(pixel(at[0], at[1], at[2], at[3]), data.images().getUint8(at[0], at[1], at[2], at[3]),
                        Arrays.toString(at));
            }
        }
    }

    @Test
    void trainSplitJoinsTheFiveBatchesInOrder() throws Exception {
        Path batches = Files.createDirectories(dir.resolve("cifar-10-batches-bin"));
        for (int b = 1; b <= 5; b++) {
            Files.write(batches.resolve("data_batch_" + b + ".bin"), batch(2 * (b - 1), 2));
        }
        Files.write(batches.resolve("test_batch.bin"), batch(100, 3));
        try (ImageData train = Cifar10.load(manager, dir, Split.TRAIN);
                ImageData test = Cifar10.load(manager, batches, Split.TEST)) {
            assertEquals(10, train.size());
            assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, train.labels().toIntArray());
            assertEquals(pixel(7, 1, 3, 4), train.images().getUint8(7, 1, 3, 4));
            assertEquals(3, test.size());
            assertEquals(pixel(102, 2, 0, 9), test.images().getUint8(2, 2, 0, 9));
        }
    }

    @Test
    void missingBatchNamesTheFile() throws Exception {
        for (int b = 1; b <= 4; b++) {
            Files.write(dir.resolve("data_batch_" + b + ".bin"), batch(0, 1));
        }
        String message = assertThrows(IllegalArgumentException.class, () -> Cifar10.load(manager, dir, Split.TRAIN)).getMessage();
        assertTrue(message.contains("data_batch_5.bin") && message.contains("README"), message);
    }

    @Test
    void partialRecordIsTruncation() throws Exception {
        byte[] whole = batch(0, 3);
        Path file = Files.write(dir.resolve("data_batch_1.bin"), Arrays.copyOf(whole, whole.length - 100));
        String message = assertThrows(IllegalArgumentException.class, () -> Cifar10.readBatch(manager, file)).getMessage();
        assertTrue(message.contains(file.toString()) && message.contains("truncated")
                && message.contains("9219 bytes") && message.contains("found 9119"), message);
    }

    @Test
    void emptyFileAndCifar100RecordsAreRejected() throws Exception {
        Path empty = Files.write(dir.resolve("empty.bin"), new byte[0]);
        assertThrows(IllegalArgumentException.class, () -> Cifar10.readBatch(manager, empty));
        // CIFAR-100 records carry a coarse and a fine label: 3074 bytes, labels up to 99.
        byte[] hundred = new byte[3 * 3074];
        hundred[0] = 42;
        Path file = Files.write(dir.resolve("cifar100.bin"), Arrays.copyOf(hundred, 3 * 3073));
        String message = assertThrows(IllegalArgumentException.class, () -> Cifar10.readBatch(manager, file)).getMessage();
        assertTrue(message.contains("label 42"), message);
    }
}
