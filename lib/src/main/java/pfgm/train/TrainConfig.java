package pfgm.train;

import static pfgm.util.Checks.require;

/**
 * Training hyper-parameters shared by every method (the paper's values: docs/design.md).
 *
 * @param batchSize PFGM's large batch: the charges its field target is computed over (other methods
 *     do not use it)
 * @param smallBatchSize the network's batch, for every method (for PFGM the perturbed points: the
 *     first rows of the large batch)
 * @param lr Adam learning rate after warm-up
 * @param beta1 Adam beta1 (beta2 is 0.999)
 * @param eps Adam epsilon
 * @param warmup linear warm-up steps (lr * min(step / warmup, 1), as the official code)
 * @param gradClip global gradient-norm clip; negative turns it off
 * @param emaDecay EMA decay of the weights
 * @param steps total training steps
 * @param logEvery metrics row every this many steps
 * @param checkpointEvery checkpoint every this many steps
 * @param snapshotEvery sample grid every this many steps (0: never)
 * @param seed drives every random choice of the run
 */
public record TrainConfig(
        int batchSize, int smallBatchSize, double lr, double beta1, double eps, int warmup, double gradClip,
        double emaDecay, int steps, int logEvery, int checkpointEvery, int snapshotEvery, long seed) {

    public TrainConfig {
        require(batchSize >= 1 && smallBatchSize >= 1 && smallBatchSize <= batchSize,
                "need 1 <= smallBatchSize <= batchSize, got " + smallBatchSize + " and " + batchSize);
        require(lr > 0 && lr < 1, "lr must be in (0, 1), got " + lr);
        require(beta1 >= 0 && beta1 < 1, "beta1 must be in [0, 1), got " + beta1);
        require(eps > 0, "eps must be > 0, got " + eps);
        require(warmup >= 0, "warmup must be >= 0, got " + warmup);
        require(emaDecay >= 0 && emaDecay < 1, "emaDecay must be in [0, 1), got " + emaDecay);
        require(steps >= 0, "steps must be >= 0, got " + steps);
        require(logEvery >= 1 && checkpointEvery >= 1 && snapshotEvery >= 0,
                "logEvery and checkpointEvery must be >= 1, snapshotEvery >= 0");
    }

    /** These settings with a new step budget and intervals: what a resumed run may change. */
    public TrainConfig withoutSchedule() {
        return new TrainConfig(batchSize, smallBatchSize, lr, beta1, eps, warmup, gradClip, emaDecay, 0, 1, 1, 0, seed);
    }
}
