package pfgm.kernel;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.openqa.selenium.WebDriverException;

/** Waiting for the page: a probe asked again until it answers or the time is up. */
final class Poll {
    private static final long INTERVAL_MILLIS = 100;

    private Poll() {}

    /** The probe's first answer; the test fails saying what it waited for when none comes in time. */
    static <T> T until(Duration timeout, String what, Supplier<Optional<T>> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                Optional<T> answer = probe.get();
                if (answer.isPresent()) {
                    return answer.get();
                }
            } catch (WebDriverException e) {
                // the page redrew what the probe held (a stale element): ask again
            }
            if (System.nanoTime() > deadline) {
                return fail("waited " + timeout.toSeconds() + " s for " + what);
            }
            sleep(INTERVAL_MILLIS);
        }
    }

    static void until(Duration timeout, String what, java.util.function.BooleanSupplier condition) {
        until(timeout, what, () -> condition.getAsBoolean() ? Optional.of(true) : Optional.empty());
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
