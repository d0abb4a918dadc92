package pfgm.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * An in-memory image data set: {@code images} (n, C, H, W) with pixel values in [0, 255] (uint8
 * as read, float32 after {@link #resized}), and int32 {@code labels} (n); sets without classes
 * label every image 0. Train on {@link #centred()} values or draw batches with {@link BatchSampler}.
 */
public record ImageData(NDArray images, NDArray labels) implements AutoCloseable {

    public ImageData {
        if (images.getShape().dimension() != 4) {
            throw new IllegalArgumentException("images must be (n, C, H, W), got " + images.getShape());
        }
        if (!labels.getShape().equals(new Shape(images.getShape().get(0)))) {
            throw new IllegalArgumentException("labels must be (n) = (" + images.getShape().get(0) + "), got "
                    + labels.getShape());
        }
    }

    public int size() {
        return (int) images.getShape().get(0);
    }

    public int channels() {
        return (int) images.getShape().get(1);
    }

    public int height() {
        return (int) images.getShape().get(2);
    }

    public int width() {
        return (int) images.getShape().get(3);
    }

    /** N = C x H x W, the data dimension the Poisson field lives in (plus one for z). */
    public int dimension() {
        return channels() * height() * width();
    }

    /** All images as float32 in [-1, 1] (see {@link Pixels#centre}). */
    public NDArray centred() {
        return Pixels.centre(images);
    }

    /** The images resized to height x width (area averaging when shrinking), as float32 in [0, 255]. */
    public ImageData resized(int height, int width) {
        return new ImageData(Pixels.resize(images, height, width), labels.duplicate());
    }

    /** The first n images (a smaller set for CPU-sized runs). */
    public ImageData head(int n) {
        if (n <= 0 || n > size()) {
            throw new IllegalArgumentException("head(" + n + ") of a set of " + size() + " images");
        }
        return new ImageData(images.get("0:" + n), labels.get("0:" + n));
    }

    @Override
    public void close() {
        images.close();
        labels.close();
    }
}
