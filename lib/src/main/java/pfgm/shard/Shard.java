package pfgm.shard;

import pfgm.eval.FeatureMoments;
import pfgm.eval.FeatureSet;

/**
 * One shard of a draw: the batches it covers, each batch's NFE, the float64 moments of its samples'
 * features (what a FID-only merge reads), and, unless read without them, the per-sample features
 * and class probabilities (what IS, KID and precision/recall need) and the samples.
 *
 * @param layout the {@code --shard} that wrote it ("3/8"), for messages; another layout's
 *     shards merge with it as long as the batch ranges tile the draw
 * @param batchNfe one NFE per batch
 * @param features null when read without features
 * @param samples the centred samples (one row of N values each, as pfgm sample writes them); null
 *     when read without them
 */
public record Shard(Draw draw, BatchRange range, String layout, int[] batchNfe, FeatureMoments moments, FeatureSet features,
        float[][] samples) {

    public Shard {
        if (batchNfe.length != range.batches() || moments.count() != range.size()
                || features != null && features.size() != range.size()) {
            throw new IllegalArgumentException("a shard of " + range + " holds " + batchNfe.length + " NFE values and "
                    + moments.count() + " feature rows");
        }
    }
}
