package pfgm.train;

/** The loss became NaN or infinite; the last good checkpoint was left as it was. */
public final class TrainingDiverged extends IllegalStateException {
    private final long step;
    private final double[] recentLosses;

    TrainingDiverged(long step, double loss, double[] recentLosses, long lastCheckpoint) {
        super(String.format("the loss became %s at step %d (recent logged losses %s). The checkpoint of step %d "
                + "is untouched. Try a lower learning rate (--set lr=...), a longer warm-up, gradient clipping "
                + "(--set gradClip=1), or check that the data is scaled to [-1, 1].",
                loss, step, java.util.Arrays.toString(recentLosses), lastCheckpoint));
        this.step = step;
        this.recentLosses = recentLosses;
    }

    public long step() {
        return step;
    }

    public double[] recentLosses() {
        return recentLosses.clone();
    }
}
