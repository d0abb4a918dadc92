package pfgm.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

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

    /** The 8-bit value of one centred value: clipped to [-1, 1], scaled back and rounded. */
    public static int toByte(float centred) {
        return (int) Math.round((Math.max(-1f, Math.min(1f, centred)) + 1) * 127.5);
    }
}
