package pfgm.train;

/** The loss or the gradient became NaN or infinite; the last good checkpoint was left as it was. */
public final class TrainingDiverged extends IllegalStateException {
    private final long step;
    private final double[] recentLosses;

    private TrainingDiverged(String message, long step, double[] recentLosses) {
        super(message);
        this.step = step;
        this.recentLosses = recentLosses;
    }

    static TrainingDiverged ofLoss(long step, double loss, double[] recentLosses, long lastCheckpoint) {
        return new TrainingDiverged(String.format("the loss became %s at step %d (recent logged losses %s). The "
                + "checkpoint of step %d is untouched. Try a lower learning rate (--set lr=...), a longer warm-up, "
                + "gradient clipping (--set gradClip=1), or check that the data is scaled to [-1, 1].",
                loss, step, java.util.Arrays.toString(recentLosses), lastCheckpoint), step, recentLosses);
    }

    /** A finite loss with a non-finite gradient is a fault of the backward computation, not of the settings. */
    static TrainingDiverged ofGradient(long step, double loss, double gradNorm, double[] recentLosses, long lastCheckpoint) {
        return new TrainingDiverged(String.format("the gradient norm became %s at step %d while the loss was %s: "
                + "the backward pass produced a non-finite gradient, so no weight was updated. The checkpoint of "
                + "step %d is untouched. This is a numerical fault of the engine or of a network layer, not of the "
                + "learning rate; please report it with the preset and `java -version`.",
                gradNorm, step, loss, lastCheckpoint), step, recentLosses);
    }

    public long step() {
        return step;
    }

    public double[] recentLosses() {
        return recentLosses.clone();
    }
}
