package pfgm.cli;

import ai.djl.ndarray.NDArray;
import java.util.function.DoubleConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import pfgm.eval.FeatureSet;
import pfgm.eval.ImageFeatures;

/** Terminal progress bars for the commands' long work. */
final class Progress {
    private Progress() {}

    /** A bar counting {@code total} items, e.g. images. */
    static ProgressBar count(String task, long total) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(total).continuousUpdate().build();
    }

    /** A bar for work measured as a fraction done (shown in per mille). */
    static ProgressBar fraction(String task) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(1000).setUnit(" permille", 1).continuousUpdate().build();
    }

    /** Moves a fraction bar forward (never back) to the fraction heard. */
    static DoubleConsumer to(ProgressBar bar) {
        return f -> bar.stepTo(Math.max(bar.getCurrent(), Math.round(1000 * f)));
    }

    /** Features of images (n, C, H, W) in batches, with a bar counting images. */
    static FeatureSet features(ImageFeatures network, NDArray images, int batchSize, String what) {
        try (ProgressBar bar = count(network.name() + " features of " + what, images.getShape().get(0))) {
            return FeatureSet.extract(network, images, batchSize, bar::stepTo);
        }
    }
}
