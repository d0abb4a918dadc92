package pfgm.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Area shrinking and bilinear enlarging, by properties each can be checked by hand. */
class ResizeTest {

    @Test
    void shrinkingByAnIntegerFactorAveragesBlocks() {
        // Two 4x4 planes: values 0..15 and 100 + 2 * that.
        float[] source = new float[32];
        for (int i = 0; i < 16; i++) {
            source[i] = i;
            source[16 + i] = 100 + 2 * i;
        }
        float[] out = Resize.planes(source, 2, 4, 4, 2, 2);
        float[] expected = {2.5f, 4.5f, 10.5f, 12.5f, 105, 109, 121, 125};
        assertArrayEquals(expected, out, 1e-5f);
    }

    @Test
    void shrinkingByAFractionKeepsTheMeanAndConstants() {
        SplittableRandom random = new SplittableRandom(3);
        float[] source = new float[28 * 28];
        double mean = 0;
        for (int i = 0; i < source.length; i++) {
            source[i] = (float) random.nextDouble(255);
            mean += source[i] / source.length;
        }
        float[] out = Resize.planes(source, 1, 28, 28, 16, 16);
        double outMean = 0;
        for (float v : out) {
            outMean += v / out.length;
        }
        assertEquals(mean, outMean, 1e-3);
        float[] flat = new float[28 * 28];
        java.util.Arrays.fill(flat, 42);
        for (float v : Resize.planes(flat, 1, 28, 28, 16, 16)) {
            assertEquals(42, v, 1e-4);
        }
    }

    @Test
    void enlargingInterpolatesBetweenPixelCentres() {
        // A 1x2 row (a, b) to 1x4: centres at -1/4, 1/4, 3/4, 5/4 of the input, clamped.
        float a = 10;
        float b = 50;
        assertArrayEquals(new float[] {a, 0.75f * a + 0.25f * b, 0.25f * a + 0.75f * b, b},
                Resize.planes(new float[] {a, b}, 1, 1, 2, 1, 4), 1e-5f);
        float[] same = {1, 2, 3, 4, 5, 6};
        assertArrayEquals(same, Resize.planes(same, 1, 2, 3, 2, 3));
    }

    /** PyTorch's bilinear (pytorch-fid's resize) shrinks from two inputs per output, no averaging. */
    @Test
    void bilinearOnlyShrinkingReadsTwoNeighbours() {
        // Centres (i + 1/2) 6/4 - 1/2 = 0.25, 1.75, 3.25, 4.75 of a ramp 0, 10, ..., 50 (torch 1.13 agrees).
        assertArrayEquals(new float[] {2.5f, 17.5f, 32.5f, 47.5f},
                Resize.planes(new float[] {0, 10, 20, 30, 40, 50}, 1, 1, 6, 1, 4, true), 1e-5f); // area: 3.33, 16.67, ...
        // enlarging is the same either way
        float[] row = {10, 50};
        assertArrayEquals(Resize.planes(row, 1, 1, 2, 1, 4), Resize.planes(row, 1, 1, 2, 1, 4, true));
    }

    @Test
    void imageDataResizesEveryImageAndKeepsLabels() {
        try (NDManager manager = NDManager.newBaseManager()) {
            byte[] pixels = new byte[2 * 28 * 28];
            java.util.Arrays.fill(pixels, 0, 28 * 28, (byte) 200);
            ImageData data = new RawImages(pixels, new int[] {4, 9}, 1, 28, 28).toImageData(manager);
            ImageData small = data.resized(16, 16);
            assertEquals(new Shape(2, 1, 16, 16), small.images().getShape());
            assertEquals(DataType.FLOAT32, small.images().getDataType());
            assertEquals(200, small.images().getFloat(0, 0, 7, 9), 1e-4);
            assertEquals(0, small.images().getFloat(1, 0, 15, 15), 1e-4);
            assertArrayEquals(new int[] {4, 9}, small.labels().toIntArray());
        }
    }
}
