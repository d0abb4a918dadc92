package pfgm.data;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.util.List;

/** Decoded 8-bit images (n, C, H, W) and their labels, before they become NDArrays: what every reader produces. */
record RawImages(byte[] pixels, int[] labels, int channels, int height, int width) {

    RawImages {
        long expected = (long) labels.length * channels * height * width;
        if (pixels.length != expected) {
            throw new IllegalStateException(pixels.length + " pixel bytes for " + labels.length + " images of "
                    + channels + "x" + height + "x" + width);
        }
    }

    ImageData toImageData(NDManager manager) {
        Shape shape = new Shape(labels.length, channels, height, width);
        return new ImageData(manager.create(ByteBuffer.wrap(pixels), shape, DataType.UINT8), manager.create(labels));
    }

    /** The images of all parts in order; they must share one image shape. */
    static RawImages concat(List<RawImages> parts) {
        RawImages first = parts.get(0);
        int count = parts.stream().mapToInt(p -> p.labels.length).sum();
        byte[] pixels = new byte[Math.multiplyExact(count, first.channels * first.height * first.width)];
        int[] labels = new int[count];
        int image = 0;
        int offset = 0;
        for (RawImages part : parts) {
            System.arraycopy(part.pixels, 0, pixels, offset, part.pixels.length);
            System.arraycopy(part.labels, 0, labels, image, part.labels.length);
            offset += part.pixels.length;
            image += part.labels.length;
        }
        return new RawImages(pixels, labels, first.channels, first.height, first.width);
    }
}
