package pfgm.util;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;

/** In-place operations on a network's weights and gradients that must not go through Java memory. */
public final class Weights {
    private Weights() {}

    /**
     * Sets every gradient to zero by assignment. PyTorch accumulates gradients across backward
     * passes; subtracting a gradient from itself would keep a NaN forever.
     */
    public static void zeroGradients(Iterable<Pair<String, Parameter>> parameters) {
        for (Pair<String, Parameter> p : parameters) {
            JniUtils.zeroGrad((PtNDArray) p.getValue().getArray());
        }
    }

    /**
     * Copies {@code source} into {@code target}'s own storage. DJL's {@code set(Buffer)} would
     * instead re-point the target at a Java buffer that only the array object keeps alive. Turns
     * this thread's grad mode off first: PyTorch refuses in-place writes to a parameter while it
     * records, which it does in a Jupyter cell's thread.
     */
    public static void copy(NDArray source, NDArray target) {
        if (!source.getShape().equals(target.getShape())) {
            throw new IllegalArgumentException("cannot copy " + source.getShape() + " into " + target.getShape());
        }
        GradMode.off();
        target.set(new NDIndex("..."), source.toType(target.getDataType(), false));
    }
}
