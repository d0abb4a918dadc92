package pfgm.notebook;

import java.util.Locale;

/**
 * How much work a notebook or run does, from the environment variable {@code PFGM_BUDGET}:
 * {@code smoke} for tests (seconds), {@code laptop} by default (minutes on a laptop CPU),
 * {@code paper} for the full configurations on a GPU. The same notebooks serve all three.
 */
public enum Budget {
    SMOKE, LAPTOP, PAPER;

    public static final String VARIABLE = "PFGM_BUDGET";

    /** The budget the environment asks for (laptop when unset). */
    public static Budget current() {
        return parse(System.getenv(VARIABLE));
    }

    static Budget parse(String value) {
        if (value == null || value.isBlank()) {
            return LAPTOP;
        }
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(VARIABLE + "=" + value + " is not a budget: use smoke, laptop or paper");
        }
    }

    /** The value for this budget, e.g. {@code Budget.current().pick(50, 5_000, 1_300_000)} training steps. */
    public <T> T pick(T smoke, T laptop, T paper) {
        return switch (this) {
            case SMOKE -> smoke;
            case LAPTOP -> laptop;
            case PAPER -> paper;
        };
    }

    public int pick(int smoke, int laptop, int paper) {
        return pick(Integer.valueOf(smoke), Integer.valueOf(laptop), Integer.valueOf(paper));
    }
}
