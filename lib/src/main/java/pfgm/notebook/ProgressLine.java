package pfgm.notebook;

import java.util.function.Consumer;
import java.util.function.DoubleConsumer;
import java.util.function.LongSupplier;
import pfgm.train.Metrics;
import pfgm.train.Trainer;

/**
 * A live progress line for a notebook cell, what the command line's progress bars show: "training
 * toy2d: 5,040 of 12,000 steps (42%), 310 steps/s, 0:22 left, loss 0.104". It goes to a display
 * the cell made ({@code line -> updateDisplay(id, line)}), at most a few times a second.
 *
 * <pre>{@code
 * String bar = display("");
 * run.trainer().addListener(ProgressLine.training(run.preset().name(), run.trainer(), line -> updateDisplay(bar, line)));
 * }</pre>
 */
public final class ProgressLine {
    /** Lines more often than this (ms) would only load the browser. */
    static final long INTERVAL_MILLIS = 250;
    private final String task;
    private final long total;
    private final String unit;
    private final Consumer<String> show;
    private final LongSupplier clock;
    private final long started;
    private final long startedAt;
    private long shownAt = Long.MIN_VALUE;
    private String extra = "";

    ProgressLine(String task, long total, long from, String unit, Consumer<String> show, LongSupplier clock) {
        this.task = task;
        this.total = total;
        this.unit = unit;
        this.show = show;
        this.clock = clock;
        this.started = clock.getAsLong();
        this.startedAt = from;
    }

    /** A line counting {@code total} units (steps, samples) from {@code from}. */
    public static ProgressLine of(String task, long total, long from, String unit, Consumer<String> show) {
        return new ProgressLine(task, total, from, unit, show, System::nanoTime);
    }

    /** A trainer listener that shows the steps done, the rate, the time left and the last logged loss. */
    public static Trainer.Listener training(String name, Trainer trainer, Consumer<String> show) {
        ProgressLine line = of("training " + name, trainer.totalSteps(), trainer.step(), "steps", show);
        return new Trainer.Listener() {
            @Override
            public void onStep(long step, double loss) {
                line.to(step);
            }

            @Override
            public void onLog(Metrics.Row row, Metrics metrics) {
                line.extra = String.format(", loss %.4g", row.loss());
            }
        };
    }

    /** A progress callback (fraction done, as samplers report it) that shows per-mille. */
    public static DoubleConsumer fraction(String task, Consumer<String> show) {
        ProgressLine line = of(task, 1000, 0, "permille", show);
        return f -> line.to(Math.round(f * 1000));
    }

    /** Reports {@code done} units; shows a line when enough time has passed, and always at the end. */
    public void to(long done) {
        long now = clock.getAsLong();
        if (done < total && now - shownAt < INTERVAL_MILLIS * 1_000_000) {
            return;
        }
        shownAt = now;
        show.accept(text(done, (now - started) / 1e9));
    }

    /** The line for {@code done} units after {@code seconds}. */
    String text(long done, double seconds) {
        double rate = seconds > 0 ? (done - startedAt) / seconds : 0;
        String left = rate > 0 && done < total ? ", " + clock((total - done) / rate) + " left" : done >= total ? ", done in "
                + clock(seconds) : "";
        String rateText = rate > 0 && done < total ? String.format(", %.3g %s/s", rate, unit) : "";
        if (unit.equals("permille")) {
            return String.format("%s: %.0f%%%s", task, done / 10.0, left) + extra;
        }
        return String.format("%s: %,d of %,d %s (%.0f%%)%s%s", task, done, total, unit, 100.0 * done / total, rateText, left)
                + extra;
    }

    private static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format("%d:%02d", s / 60, s % 60);
    }
}
