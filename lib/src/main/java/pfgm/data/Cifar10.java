package pfgm.data;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The CIFAR-10 binary version: files of records, each one label byte (0..9) followed by 3072
 * pixel bytes, the red, green and blue 32x32 planes in turn (already the (C, H, W) order).
 */
public final class Cifar10 {
    static final int SIDE = 32;
    static final int IMAGE_BYTES = 3 * SIDE * SIDE;
    static final int RECORD_BYTES = 1 + IMAGE_BYTES;
    static final List<String> TRAIN_FILES = List.of(
            "data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");
    static final List<String> TEST_FILES = List.of("test_batch.bin");

    private Cifar10() {}

    /**
     * A split from the directory of the batch files, or from its parent (the archive unpacks into
     * {@code cifar-10-batches-bin/}). Images are (n, 3, 32, 32) uint8.
     */
    public static ImageData load(NDManager manager, Path directory, Split split) {
        Path batches = Files.isDirectory(directory.resolve("cifar-10-batches-bin"))
                ? directory.resolve("cifar-10-batches-bin") : directory;
        List<String> names = split == Split.TRAIN ? TRAIN_FILES : TEST_FILES;
        List<RawImages> parts = new ArrayList<>();
        for (String name : names) {
            Path file = batches.resolve(name);
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("CIFAR-10 file not found: " + file + " (the " + split
                        + " split needs " + names + " of the binary version, cifar-10-binary.tar.gz; see data/README.md)");
            }
            parts.add(read(file));
        }
        return RawImages.concat(parts).toImageData(manager);
    }

    /** One batch file (any number of records, so subsets work too). */
    public static ImageData readBatch(NDManager manager, Path file) {
        return read(file).toImageData(manager);
    }

    static RawImages read(Path path) {
        BinaryFile file = BinaryFile.read(path);
        int records = Math.max(1, (file.length() + RECORD_BYTES - 1) / RECORD_BYTES);
        file.requireLength((long) records * RECORD_BYTES, records + " records of " + RECORD_BYTES
                + " bytes (1 label byte + 3x32x32 pixels)");
        byte[] pixels = new byte[records * IMAGE_BYTES];
        int[] labels = new int[records];
        byte[] bytes = file.bytes();
        for (int i = 0; i < records; i++) {
            labels[i] = bytes[i * RECORD_BYTES] & 0xFF;
            if (labels[i] > 9) {
                throw new IllegalArgumentException(String.format("%s: record %d has label %d, CIFAR-10 labels are 0..9 "
                        + "(a CIFAR-100 file has 2 label bytes per record)", path, i, labels[i]));
            }
            System.arraycopy(bytes, i * RECORD_BYTES + 1, pixels, i * IMAGE_BYTES, IMAGE_BYTES);
        }
        return new RawImages(pixels, labels, 3, SIDE, SIDE);
    }
}
