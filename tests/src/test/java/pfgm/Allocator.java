package pfgm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** Test helpers that make reads of memory nobody wrote visible. */
public final class Allocator {
    private Allocator() {}

    /**
     * Allocates NaN-filled arrays of 16 to 2^20 floats and frees them, so that the next native
     * allocations are likely to reuse NaN-filled memory: a kernel that reads memory it never wrote
     * then produces NaN instead of the zeros a fresh page would give.
     */
    public static void poison(NDManager manager) {
        for (int size = 16; size <= (1 << 20); size *= 2) {
            NDArray nan = manager.full(new Shape(size), Float.NaN);
            nan.close();
        }
    }
}
