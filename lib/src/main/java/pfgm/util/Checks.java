package pfgm.util;

/** Argument checks of settings records: a broken setting fails where it is made, with a message that names it. */
public final class Checks {
    private Checks() {}

    /** @throws IllegalArgumentException with {@code message} unless {@code condition} holds */
    public static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
