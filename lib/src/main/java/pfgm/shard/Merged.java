package pfgm.shard;

import pfgm.eval.FeatureMoments;
import pfgm.eval.FeatureSet;

/**
 * The shards of one draw put together: what one process drawing every batch would hold.
 *
 * @param features every sample's features and probabilities in seed order; null when merged
 *     without them (FID alone)
 * @param nfe the mean NFE over all batches, rounded as {@code Run.sample} rounds it
 */
public record Merged(Draw draw, FeatureMoments moments, FeatureSet features, int nfe, int shards) {}
