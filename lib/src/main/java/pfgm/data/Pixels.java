package pfgm.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The "centred" pixel scale the PFGM code trains on: 8-bit values v in [0, 255] map to
 * v / 127.5 - 1 in [-1, 1], so 0 is -1 and 255 is 1.
 */
public final class Pixels {
    private Pixels() {}

    /** Pixel values in [0, 255] (uint8, or float after resizing) as float32 in [-1, 1]. */
    public static NDArray centre(NDArray pixels) {
        try (NDArray values = pixels.toType(DataType.FLOAT32, true)) {
            return values.div(127.5f).sub(1f);
        }
    }

    /**
     * Centred samples (n, N) or (n, C, H, W), as a model produces them, back to pixel values in
     * [0, 255] (float32, clipped) with one sample's shape {@code sampleShape} (C, H, W).
     */
    public static NDArray uncentre(NDArray centred, Shape sampleShape) {
        Shape shape = new Shape(centred.getShape().get(0)).addAll(sampleShape);
        return centred.toType(DataType.FLOAT32, false).reshape(shape).clip(-1, 1).add(1f).mul(127.5f);
    }

    /** The 8-bit value of one centred value: clipped to [-1, 1], scaled back and rounded. */
    public static int toByte(float centred) {
        return (int) Math.round((Math.max(-1f, Math.min(1f, centred)) + 1) * 127.5);
    }

    /**
     * Images (n, C, H, W) resized to height x width, as float32: area averaging when shrinking,
     * bilinear with half-pixel centres when enlarging (PyTorch's {@code interpolate(mode="bilinear",
     * align_corners=False)}). pytorch-fid's resize to 299 x 299 is {@link #resizeBilinear}.
     */
    public static NDArray resize(NDArray images, int height, int width) {
        return resize(images, height, width, false);
    }

    /**
     * Images (n, C, H, W) resized to height x width, as float32, with PyTorch's {@code
     * interpolate(mode="bilinear", align_corners=False)} both ways: when shrinking, each output
     * pixel reads two inputs per axis (no antialiasing, unlike {@link #resize}). This is what
     * pytorch-fid does to any image size before its Inception network, so FID needs it.
     */
    public static NDArray resizeBilinear(NDArray images, int height, int width) {
        return resize(images, height, width, true);
    }

    private static NDArray resize(NDArray images, int height, int width, boolean bilinearOnly) {
        Shape shape = images.getShape();
        if (shape.dimension() != 4) {
            throw new IllegalArgumentException("images must be (n, C, H, W), got " + shape);
        }
        float[] source;
        try (NDArray values = images.toType(DataType.FLOAT32, true)) {
            source = values.toFloatArray();
        }
        float[] target = Resize.planes(source, Math.toIntExact(shape.get(0) * shape.get(1)), (int) shape.get(2),
                (int) shape.get(3), height, width, bilinearOnly);
        return images.getManager().create(target, new Shape(shape.get(0), shape.get(1), height, width));
    }
}
