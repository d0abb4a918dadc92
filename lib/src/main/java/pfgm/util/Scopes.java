package pfgm.util;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import java.util.function.Supplier;

/**
 * Frees the temporaries of a computation. DJL keeps every intermediate NDArray alive until its
 * manager closes; in a solver loop or a chunked field computation that is unbounded memory.
 */
public final class Scopes {
    private Scopes() {}

    /** Runs {@code body}, closes every NDArray it created except its result, and returns that result. */
    public static NDArray keep(Supplier<NDArray> body) {
        return keepAll(() -> new NDList(body.get())).singletonOrThrow();
    }

    /** Like {@link #keep} for several results. */
    public static NDList keepAll(Supplier<NDList> body) {
        NDList result;
        try (NDScope scope = new NDScope()) {
            result = body.get();
            NDScope.unregister(result);
        }
        // Hand the results to the enclosing scope, so nested calls do not leak them.
        result.forEach(NDScope::register);
        return result;
    }
}
