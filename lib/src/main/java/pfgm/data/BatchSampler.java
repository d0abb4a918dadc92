package pfgm.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.HashMap;
import java.util.Map;
import pfgm.util.Rng;
import pfgm.util.Scopes;

/**
 * Training batches from an image set: distinct images drawn uniformly, centred to [-1, 1], and
 * optionally flipped at random. Everything is drawn from the step's random stream, so the batch of
 * step k is the same whether a run started at step 0 or resumed at step k. Its
 * {@code batch(NDManager, int, Rng)} fits the trainer's batch source as a method reference.
 */
public final class BatchSampler {
    private final ImageData data;
    private final boolean flip;

    public BatchSampler(ImageData data, boolean flip) {
        this.data = data;
        this.flip = flip;
    }

    /** The batch of step {@code step} of the run seeded with {@code seed}: (size, C, H, W) float32. */
    public NDArray batch(NDManager manager, int size, long seed, long step) {
        return batch(manager, size, Rng.forStep(seed, step));
    }

    /**
     * A batch drawn from {@code rng}: first the image indices, then (if enabled) the flip coins. It
     * is taken where the images are and moved to {@code manager}'s device: attach alone would leave it
     * where it was, on a manager of another device.
     */
    public NDArray batch(NDManager manager, int size, Rng rng) {
        long[] chosen = indices(size, rng);
        NDArray batch = Scopes.keep(() -> {
            NDArray images = Pixels.centre(data.images().get(data.images().getManager().create(chosen)));
            return (flip ? Flip.randomHorizontal(images, rng) : images).toDevice(manager.getDevice(), false);
        });
        batch.attach(manager);
        return batch;
    }

    /** {@code size} distinct indices in [0, n), uniformly: a partial Fisher-Yates shuffle that stores only the swaps. */
    long[] indices(int size, Rng rng) {
        int n = data.size();
        if (size <= 0 || size > n) {
            throw new IllegalArgumentException("batch size must be in 1.." + n + " (the set size), got " + size);
        }
        Map<Integer, Integer> swapped = new HashMap<>();
        long[] chosen = new long[size];
        for (int i = 0; i < size; i++) {
            int j = i + (int) (rng.nextDouble() * (n - i));
            int atJ = swapped.getOrDefault(j, j);
            chosen[i] = atJ;
            swapped.put(j, swapped.getOrDefault(i, i));
        }
        return chosen;
    }
}
