package pfgm.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import pfgm.util.Rng;

/**
 * Where training batches come from. A batch depends only on the step's random stream, so a
 * resumed run sees the batches it would have seen.
 */
@FunctionalInterface
public interface BatchSource {
    /** {@code size} samples, (size, N) or (size, C, H, W), scaled as the network expects. */
    NDArray batch(NDManager manager, int size, Rng rng);
}
