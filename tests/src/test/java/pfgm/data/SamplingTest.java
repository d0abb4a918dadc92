package pfgm.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pfgm.ManagedArrays;
import pfgm.util.Rng;

/** Centring, random flips and the per-step batch sampler. */
class SamplingTest extends ManagedArrays {
    static final int COUNT = 50;
    /** Image i (1 x 2 x 3) holds 6 i + 0..5 modulo 256, so each image and its mirror are recognizable. */
    static ImageData data;

    @BeforeAll
    static void open() {
        byte[] pixels = new byte[COUNT * 6];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) i;
        }
        data = new RawImages(pixels, new int[COUNT], 1, 2, 3).toImageData(manager);
    }

    @Test
    void centringMapsTheByteRangeOntoMinusOneToOne() {
        NDArray bytes = manager.create(new byte[] {0, (byte) 255, 51, (byte) 127}).toType(DataType.UINT8, false);
        NDArray centred = Pixels.centre(bytes);
        assertEquals(DataType.FLOAT32, centred.getDataType());
        assertArrayEquals(new float[] {-1, 1, -0.6f, 127 / 127.5f - 1}, centred.toFloatArray(), 1e-6f);
        assertEquals(0, Pixels.toByte(-1));
        assertEquals(255, Pixels.toByte(1));
        assertEquals(128, Pixels.toByte(0));
        assertEquals(255, Pixels.toByte(3));
        assertEquals(51, Pixels.toByte(-0.6f));
    }

    @Test
    void flipMirrorsAboutHalfTheImagesDeterministically() {
        int n = 400;
        NDArray images = manager.arange(0f, n * 6f).reshape(n, 1, 2, 3);
        float[] flipped = Flip.randomHorizontal(images, new Rng(9)).toFloatArray();
        assertArrayEquals(flipped, Flip.randomHorizontal(images, new Rng(9)).toFloatArray());
        assertFalse(Arrays.equals(flipped, Flip.randomHorizontal(images, new Rng(10)).toFloatArray()));
        int mirrored = 0;
        for (int i = 0; i < n; i++) {
            float base = 6 * i;
            float[] original = {base, base + 1, base + 2, base + 3, base + 4, base + 5};
            float[] mirror = {base + 2, base + 1, base, base + 5, base + 4, base + 3};
            float[] got = Arrays.copyOfRange(flipped, 6 * i, 6 * i + 6);
            assertTrue(Arrays.equals(got, original) || Arrays.equals(got, mirror), "image " + i);
            mirrored += Arrays.equals(got, mirror) ? 1 : 0;
        }
        assertEquals(n / 2.0, mirrored, 5 * Math.sqrt(n / 4.0));
    }

    @Test
    void batchesDependOnlyOnSeedAndStep() {
        BatchSampler sampler = new BatchSampler(data, true);
        try (NDManager caller = manager.newSubManager()) {
            NDArray first = sampler.batch(caller, 8, 7, 3);
            assertSame(caller, first.getManager());
            assertEquals(new Shape(8, 1, 2, 3), first.getShape());
            assertEquals(DataType.FLOAT32, first.getDataType());
            // A resumed run rebuilds the stream of step 3 and gets the same batch.
            assertArrayEquals(first.toFloatArray(), sampler.batch(caller, 8, Rng.forStep(7, 3)).toFloatArray());
            assertFalse(Arrays.equals(first.toFloatArray(), sampler.batch(caller, 8, 7, 4).toFloatArray()));
            assertFalse(Arrays.equals(first.toFloatArray(), sampler.batch(caller, 8, 8, 3).toFloatArray()));
            assertTrue(first.gte(-1).all().getBoolean() && first.lte(1).all().getBoolean());
        }
    }

    @Test
    void batchHoldsDistinctImagesDrawnUniformly() {
        BatchSampler sampler = new BatchSampler(data, false);
        int steps = 2000;
        int size = 10;
        int[] counts = new int[COUNT];
        for (int step = 0; step < steps; step++) {
            long[] indices = sampler.indices(size, Rng.forStep(1, step));
            Set<Long> distinct = new HashSet<>();
            for (long i : indices) {
                assertTrue(i >= 0 && i < COUNT);
                distinct.add(i);
                counts[(int) i]++;
            }
            assertEquals(size, distinct.size(), "step " + step);
        }
        double expected = steps * size / (double) COUNT;
        for (int i = 0; i < COUNT; i++) {
            assertEquals(expected, counts[i], 5 * Math.sqrt(expected), "image " + i);
        }
        // Unflipped batches hold the chosen images, centred.
        long[] chosen = sampler.indices(4, Rng.forStep(2, 0));
        float[] batch = sampler.batch(manager, 4, 2, 0).toFloatArray();
        for (int b = 0; b < 4; b++) {
            assertEquals((6 * chosen[b] % 256) / 127.5 - 1, batch[6 * b], 1e-6);
        }
    }

    @Test
    void oversizedBatchAndHeadBoundsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new BatchSampler(data, false).batch(manager, COUNT + 1, 0, 0));
        assertEquals(5, data.head(5).size());
        assertThrows(IllegalArgumentException.class, () -> data.head(COUNT + 1));
    }
}
