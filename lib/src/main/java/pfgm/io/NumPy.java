package pfgm.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * NumPy {@code .npy} and {@code .npz} files, so tensors move between this kit and Python tools.
 * DJL decodes both formats; writing is done here (format version 1.0, little-endian, C order).
 */
public final class NumPy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    private NumPy() {}

    /** Reads an .npy file, or an .npz file that holds exactly one array. */
    public static NDArray read(NDManager manager, Path path) {
        Map<String, NDArray> arrays = readAll(manager, path);
        if (arrays.size() != 1) {
            arrays.values().forEach(NDArray::close);
            throw new IllegalArgumentException(path + " holds " + arrays.size() + " arrays " + arrays.keySet()
                    + "; expected one (save a single array with numpy.save)");
        }
        return arrays.values().iterator().next();
    }

    /** Reads every array of an .npz file (or the single array of an .npy file) by name. */
    public static Map<String, NDArray> readAll(NDManager manager, Path path) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("file not found: " + path);
        }
        NDList list;
        try {
            list = NDList.decode(manager, Files.readAllBytes(path));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(path + " is not a readable .npy/.npz file (truncated or corrupt?): " + e, e);
        }
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            String name = list.get(i).getName();
            arrays.put(name == null || name.isEmpty() ? "arr_" + i : name, list.get(i));
        }
        return arrays;
    }

    /**
     * The arrays of an .npz file whose names are in {@code names}, reading only their entries (a
     * part of a large archive); names the file lacks are left out of the map.
     */
    public static Map<String, NDArray> readSome(NDManager manager, Path path, java.util.Set<String> names) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("file not found: " + path);
        }
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(path.toFile())) {
            for (String name : names) {
                ZipEntry entry = zip.getEntry(name + ".npy");
                if (entry != null) {
                    try (java.io.InputStream in = zip.getInputStream(entry)) {
                        arrays.put(name, NDList.decode(manager, in.readAllBytes()).get(0));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            arrays.values().forEach(NDArray::close);
            throw new IllegalArgumentException(path + " is not a readable .npz file (truncated or corrupt?): " + e, e);
        }
        return arrays;
    }

    /** Writes one array as .npy, atomically (a temporary file, then a rename). */
    public static void write(Path path, NDArray array) throws IOException {
        AtomicFiles.write(path, out -> out.write(npyBytes(array)));
    }

    /** Writes named arrays as an .npz archive (what numpy.savez writes), atomically. */
    public static void writeAll(Path path, Map<String, NDArray> arrays) throws IOException {
        AtomicFiles.write(path, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            for (Map.Entry<String, NDArray> entry : arrays.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey() + ".npy"));
                zip.write(npyBytes(entry.getValue()));
                zip.closeEntry();
            }
            zip.finish();
        });
    }

    static byte[] npyBytes(NDArray array) throws IOException {
        String shape = array.getShape().dimension() == 1
                ? "(" + array.getShape().get(0) + ",)"
                : java.util.Arrays.stream(array.getShape().getShape()).mapToObj(Long::toString)
                        .collect(Collectors.joining(", ", "(", ")"));
        String header = "{'descr': '" + descr(array.getDataType()) + "', 'fortran_order': False, 'shape': " + shape + ", }";
        // Magic (6) + version (2) + length (2) + header + newline, padded to a multiple of 64.
        int unpadded = MAGIC.length + 4 + header.length() + 1;
        header = header + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(MAGIC);
        out.write(new byte[] {1, 0});
        byte[] headerBytes = header.getBytes(StandardCharsets.US_ASCII);
        out.write(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) headerBytes.length).array());
        out.write(headerBytes);
        ByteBuffer data = array.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        byte[] raw = new byte[data.remaining()];
        data.get(raw);
        out.write(raw);
        return out.toByteArray();
    }

    private static String descr(DataType type) {
        return switch (type) {
            case FLOAT32 -> "<f4";
            case FLOAT64 -> "<f8";
            case FLOAT16 -> "<f2";
            case INT8 -> "|i1";
            case UINT8 -> "|u1";
            case INT32 -> "<i4";
            case INT64 -> "<i8";
            case BOOLEAN -> "|b1";
            default -> throw new IllegalArgumentException("cannot write " + type + " arrays as .npy");
        };
    }
}
