package pfgm.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.Shape;
import pfgm.util.Rng;
import pfgm.util.Scopes;

/** Random horizontal flips, the data augmentation of the paper's image runs. */
public final class Flip {
    private Flip() {}

    /** Mirrors each image of (n, C, H, W) left-right with probability 1/2, one coin per image from {@code rng}. */
    public static NDArray randomHorizontal(NDArray images, Rng rng) {
        int n = (int) images.getShape().get(0);
        boolean[] flip = new boolean[n];
        for (int i = 0; i < n; i++) {
            flip[i] = rng.nextDouble() < 0.5;
        }
        // DJL's where does not broadcast, so the per-image coin is expanded to the full shape.
        return Scopes.keep(() -> NDArrays.where(
                images.getManager().create(flip, new Shape(n, 1, 1, 1)).broadcast(images.getShape()),
                images.flip(3), images));
    }
}
