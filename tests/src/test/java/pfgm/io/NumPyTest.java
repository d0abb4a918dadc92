package pfgm.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pfgm.ManagedArrays;

/** Reads files numpy wrote (see resources/numpy/make_fixtures.py) and writes files numpy would write. */
class NumPyTest extends ManagedArrays {
    @TempDir
    Path dir;

    static Path fixture(String name) throws Exception {
        return Path.of(NumPyTest.class.getResource("/numpy/" + name).toURI());
    }

    @Test
    void readsArraysNumpySaved() throws Exception {
        NDArray a = NumPy.read(manager, fixture("float32_2x3.npy"));
        assertEquals(new Shape(2, 3), a.getShape());
        assertArrayEquals(new float[] {0, 0.25f, 0.5f, 0.75f, 1, 1.25f}, a.toFloatArray());
        NDArray v = NumPy.read(manager, fixture("float64_vector.npy"));
        assertArrayEquals(new double[] {1.5, -2.25, 1e-300}, v.toDoubleArray());
        Map<String, NDArray> named = NumPy.readAll(manager, fixture("named.npz"));
        assertEquals(java.util.Set.of("mu", "sigma", "labels"), named.keySet());
        assertArrayEquals(new double[] {2, 0.5, 0.5, 1}, named.get("sigma").toDoubleArray());
        assertArrayEquals(new long[] {3, 1, 4}, named.get("labels").toLongArray());
    }

    @Test
    void writesTheBytesNumpyWrites() throws Exception {
        NDArray a = manager.arange(6f).reshape(2, 3).div(4);
        Path out = dir.resolve("a.npy");
        NumPy.write(out, a);
        assertArrayEquals(Files.readAllBytes(fixture("float32_2x3.npy")), Files.readAllBytes(out));
        NumPy.write(out, manager.create(new double[] {1.5, -2.25, 1e-300}));
        assertArrayEquals(Files.readAllBytes(fixture("float64_vector.npy")), Files.readAllBytes(out));
    }

    @Test
    void npzRoundTripKeepsNamesTypesAndValues() throws Exception {
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        arrays.put("mu", manager.create(new double[] {0.5, 1.5}));
        arrays.put("images", manager.randomUniform(0, 1, new Shape(2, 3, 4, 4)));
        arrays.put("labels", manager.create(new long[] {3, 1, 4}));
        Path out = dir.resolve("stats.npz");
        NumPy.writeAll(out, arrays);
        Map<String, NDArray> back = NumPy.readAll(manager, out);
        assertEquals(arrays.keySet(), back.keySet());
        for (String key : arrays.keySet()) {
            assertEquals(arrays.get(key).getShape(), back.get(key).getShape(), key);
            assertEquals(arrays.get(key).getDataType(), back.get(key).getDataType(), key);
            assertTrue(arrays.get(key).contentEquals(back.get(key)), key);
        }
        assertEquals(DataType.FLOAT64, back.get("mu").getDataType());
    }

    @Test
    void missingAndTruncatedFilesGetClearErrors() throws Exception {
        var missing = assertThrows(IllegalArgumentException.class, () -> NumPy.read(manager, dir.resolve("nope.npy")));
        assertTrue(missing.getMessage().contains("not found"), missing.getMessage());
        byte[] whole = Files.readAllBytes(fixture("float32_2x3.npy"));
        Path truncated = dir.resolve("truncated.npy");
        Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length - 8));
        var cut = assertThrows(IllegalArgumentException.class, () -> NumPy.read(manager, truncated));
        assertTrue(cut.getMessage().contains("truncated"), cut.getMessage());
        Path garbage = dir.resolve("garbage.npy");
        Files.writeString(garbage, "not numpy at all");
        assertThrows(IllegalArgumentException.class, () -> NumPy.read(manager, garbage));
        var many = assertThrows(IllegalArgumentException.class, () -> NumPy.read(manager, fixture("named.npz")));
        assertTrue(many.getMessage().contains("3 arrays"), many.getMessage());
    }
}
