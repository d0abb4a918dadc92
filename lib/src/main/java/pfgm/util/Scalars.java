package pfgm.util;

import ai.djl.ndarray.NDArray;

/**
 * Scalars for arithmetic that autograd will differentiate. DJL's {@code mul(Number)} and friends
 * wrap the number in a tensor backed by Java memory and release it at once, but autograd keeps it
 * for the backward pass, which then reads freed memory: gradients come out 0 or NaN, depending on
 * when the garbage collector ran (found by a helper session; it explained the NaNs seen in
 * attention and skip rescaling). A scalar PyTorch allocates itself is safe.
 */
public final class Scalars {
    private Scalars() {}

    /** A 0-d array holding {@code value}, of the same type and device as {@code like}. */
    public static NDArray of(NDArray like, double value) {
        // Created in double precision and copied by PyTorch into its own memory in like's type; the
        // Java-backed original stays open with its manager (or scope) until after the backward pass.
        return like.getManager().create(value).toType(like.getDataType(), true);
    }

    /** x * s, safe to differentiate. */
    public static NDArray times(NDArray x, double s) {
        return x.mul(of(x, s));
    }
}
