package pfgm.data;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The IDX format of MNIST and Fashion-MNIST, plain or gzipped: a magic number 0x000008dd (unsigned
 * bytes, dd dimensions), dd big-endian sizes, then the values. Images are 0x00000803 (n, rows,
 * cols), labels 0x00000801 (n).
 */
public final class Idx {
    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;

    private Idx() {}

    /** An image file and its label file as (n, 1, rows, cols) uint8 images with int32 labels. */
    public static ImageData load(NDManager manager, Path images, Path labels) {
        return read(images, labels).toImageData(manager);
    }

    static RawImages read(Path imagesPath, Path labelsPath) {
        BinaryFile images = BinaryFile.read(imagesPath);
        int[] imageSizes = sizes(images, IMAGES_MAGIC, "images");
        BinaryFile labels = BinaryFile.read(labelsPath);
        int[] labelSizes = sizes(labels, LABELS_MAGIC, "labels");
        if (imageSizes[0] != labelSizes[0]) {
            throw new IllegalArgumentException(imagesPath + " holds " + imageSizes[0] + " images but " + labelsPath
                    + " holds " + labelSizes[0] + " labels");
        }
        int headerBytes = 4 + 4 * imageSizes.length;
        byte[] pixels = Arrays.copyOfRange(images.bytes(), headerBytes, images.length());
        byte[] labelBytes = labels.bytes();
        int[] values = new int[labelSizes[0]];
        for (int i = 0; i < values.length; i++) {
            values[i] = labelBytes[4 + 4 + i] & 0xFF;
        }
        return new RawImages(pixels, values, 1, imageSizes[1], imageSizes[2]);
    }

    /** Checks the magic number and that the file length matches the sizes the header declares; returns them. */
    private static int[] sizes(BinaryFile file, int magic, String kind) {
        int found = file.intAt(0);
        if (found != magic) {
            throw new IllegalArgumentException(String.format(
                    "%s is not an IDX %s file: magic number 0x%08x, expected 0x%08x", file.path(), kind, found, magic));
        }
        int[] sizes = new int[magic & 0xFF];
        long expected = 4 + 4L * sizes.length;
        long values = 1;
        for (int d = 0; d < sizes.length; d++) {
            sizes[d] = file.intAt(4 + 4 * d);
            if (sizes[d] < 0) {
                throw new IllegalArgumentException(file.path() + " declares a negative size: " + Integer.toUnsignedString(sizes[d]));
            }
            values *= sizes[d];
        }
        file.requireLength(expected + values, String.format("%s of shape %s after a %d-byte header",
                kind, Arrays.toString(sizes), expected));
        return sizes;
    }
}
