package pfgm.util;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Scalars for arithmetic that autograd will differentiate. DJL's {@code mul(Number)} and friends
 * wrap the number in a tensor backed by Java memory and release it at once, but autograd keeps it
 * for the backward pass, which then reads freed memory: gradients come out 0 or NaN, depending on
 * when the garbage collector ran (found by a helper session; it explained the NaNs seen in
 * attention and skip rescaling). A scalar PyTorch allocates itself is safe.
 *
 * <p>The scalars are made once per value, type and device and kept (the most recent
 * {@value #CAPACITY}): a training step multiplies by the same few constants (1/sqrt(2) after every
 * residual block, the attention scale) hundreds of times, and making each anew cost two native
 * calls and two arrays. A kept scalar lives in PyTorch's memory, so autograd's reference keeps it
 * alive even after it is evicted and closed here.
 */
public final class Scalars {
    static final int CAPACITY = 1024;
    private static final Map<Device, NDManager> MANAGERS = new LinkedHashMap<>();
    private static final Map<Key, NDArray> CACHE = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, NDArray> eldest) {
            if (size() > CAPACITY) {
                eldest.getValue().close();
                return true;
            }
            return false;
        }
    };

    private record Key(long bits, DataType type, Device device, Shape shape) {}

    private Scalars() {}

    /**
     * A 0-d array holding {@code value}, of the same type and device as {@code like}. It is shared:
     * never modify it in place or close it.
     */
    public static NDArray of(NDArray like, double value) {
        Key key = new Key(Double.doubleToLongBits(value), like.getDataType(), like.getDevice(), null);
        synchronized (CACHE) {
            NDArray cached = CACHE.get(key);
            if (cached != null && !cached.isReleased()) {
                return cached;
            }
            NDManager manager = MANAGERS.computeIfAbsent(key.device(), NDManager::newBaseManager);
            // Made in double precision from Java memory, then cloned by PyTorch into its own memory
            // and converted to like's type. (toType alone would alias the Java-backed original when
            // the type is already right, and that memory goes once the original is collected.)
            NDArray original = manager.create(value);
            NDArray owned = original.duplicate();
            NDArray scalar = owned.toType(key.type(), false);
            for (NDArray temporary : new NDArray[] {original, owned}) {
                if (temporary != scalar) {
                    NDScope.unregister(temporary);
                    temporary.close();
                }
            }
            NDScope.unregister(scalar); // kept beyond the caller's scope
            CACHE.put(key, Objects.requireNonNull(scalar));
            return scalar;
        }
    }

    /**
     * A constant array of {@code shape} filled with {@code value}, of like's type and device, made
     * once and shared (never modify or close it): GroupNorm's unit scale and zero shift for the
     * engine's layer norm, which would otherwise be made in every call.
     */
    public static NDArray constant(NDArray like, Shape shape, float value) {
        Key key = new Key(Double.doubleToLongBits(value), like.getDataType(), like.getDevice(), shape);
        synchronized (CACHE) {
            NDArray cached = CACHE.get(key);
            if (cached != null && !cached.isReleased()) {
                return cached;
            }
            NDManager manager = MANAGERS.computeIfAbsent(key.device(), NDManager::newBaseManager);
            NDArray array = manager.full(shape, value, key.type());
            NDScope.unregister(array);
            CACHE.put(key, array);
            return array;
        }
    }

    /** x * s, safe to differentiate. */
    public static NDArray times(NDArray x, double s) {
        return x.mul(of(x, s));
    }
}
