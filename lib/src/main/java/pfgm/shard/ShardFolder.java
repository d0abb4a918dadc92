package pfgm.shard;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import pfgm.eval.FeatureMoments;
import pfgm.eval.FeatureSet;

/**
 * A folder of one draw's shards: checks that they are one draw and cover every batch exactly
 * once, and merges them. Any layouts mix (shards 1/2 with 3/4 and 4/4 of another layout) as long
 * as their batch ranges tile the draw, since a batch is the same whichever shard draws it.
 */
public final class ShardFolder {
    private ShardFolder() {}

    /**
     * Refuses a folder that holds shards of a draw other than {@code draw}: checked before a shard
     * is drawn, so a mix-up costs no sampling.
     */
    public static void requireOnly(Path dir, Draw draw) throws IOException {
        if (!java.nio.file.Files.isDirectory(dir)) {
            return;
        }
        for (Path file : ShardFile.list(dir)) {
            List<String> differences = draw.differences(ShardFile.load(file, false).draw(), "here", "there");
            if (!differences.isEmpty()) {
                throw new IllegalArgumentException(dir + " already holds shards of another draw (" + file.getFileName() + ": "
                        + String.join("; ", differences) + "); give each draw a --shard-out folder of its own");
            }
        }
    }

    /** The folder's shards merged; with their features (for IS, KID, precision/recall) or only their moments (FID). */
    public static Merged merge(Path dir, boolean withFeatures) throws IOException {
        List<Path> files = ShardFile.list(dir);
        if (files.isEmpty()) {
            throw new IllegalArgumentException(dir + " holds no shard files (batches-*.npz); write them with pfgm eval "
                    + "--workdir RUN --shard k/K --shard-out " + dir);
        }
        List<Shard> shards = new ArrayList<>();
        for (Path file : files) {
            Shard shard = ShardFile.load(file, withFeatures);
            List<String> differences = shard.draw().differences(shards.isEmpty() ? shard.draw() : shards.get(0).draw(),
                    "in " + file.getFileName(), "in " + files.get(0).getFileName());
            if (!differences.isEmpty()) {
                throw new IllegalArgumentException(dir + " mixes shards of different draws: " + String.join("; ", differences)
                        + "; keep one draw's shards in a folder");
            }
            shards.add(shard);
        }
        requireTiling(dir, files, shards);
        FeatureMoments moments = shards.get(0).moments();
        long nfe = 0;
        List<double[]> features = new ArrayList<>();
        List<double[]> probabilities = new ArrayList<>();
        for (Shard shard : shards) {
            moments = shard == shards.get(0) ? moments : moments.plus(shard.moments());
            nfe += Arrays.stream(shard.batchNfe()).asLongStream().sum();
            if (withFeatures) {
                features.addAll(List.of(shard.features().features()));
                if (shard.features().probabilities() != null) {
                    probabilities.addAll(List.of(shard.features().probabilities()));
                }
            }
        }
        Draw draw = shards.get(0).draw();
        int batches = BatchRange.batchCount(draw.n(), draw.batchSize());
        FeatureSet set = !withFeatures ? null : new FeatureSet(features.toArray(double[][]::new),
                probabilities.size() == features.size() ? probabilities.toArray(double[][]::new) : null);
        return new Merged(draw, moments, set, Math.toIntExact(Math.round((double) nfe / batches)), shards.size());
    }

    /** Shards in seed order must cover batches 0 to B - 1, each once: no overlap, no gap. */
    private static void requireTiling(Path dir, List<Path> files, List<Shard> shards) {
        Draw draw = shards.get(0).draw();
        int batches = BatchRange.batchCount(draw.n(), draw.batchSize());
        List<String> missing = new ArrayList<>();
        int expected = 0;
        for (int i = 0; i < shards.size(); i++) {
            BatchRange range = shards.get(i).range();
            if (range.first() < expected) {
                throw new IllegalArgumentException(files.get(i - 1).getFileName() + " and " + files.get(i).getFileName() + " in "
                        + dir + " overlap (" + shards.get(i - 1).range() + ", " + range + "); delete one of them");
            }
            if (range.first() > expected) {
                missing.add(gap(shards, expected, range.first()));
            }
            expected = range.end();
        }
        if (expected < batches) {
            missing.add(gap(shards, expected, batches));
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(dir + " lacks " + String.join(" and ", missing) + " of the " + draw.n()
                    + " samples: draw them with the same pfgm eval command and --shard-out " + dir);
        }
    }

    /** Batches [from, to) described, with the shards of the others' layout that would draw them. */
    private static String gap(List<Shard> shards, int from, int to) {
        Draw draw = shards.get(0).draw();
        BatchRange range = new BatchRange(draw.n(), draw.batchSize(), from, to);
        String layout = shards.get(0).layout();
        if (!layout.contains("/") || shards.stream().anyMatch(s -> !s.layout().endsWith(layout.substring(layout.indexOf('/'))))) {
            return range.toString();
        }
        int count = Integer.parseInt(layout.substring(layout.indexOf('/') + 1));
        List<String> covering = new ArrayList<>();
        for (int k = 1; k <= count; k++) {
            BatchRange shard = BatchRange.shard(draw.n(), draw.batchSize(), k, count);
            if (shard.first() >= from && shard.end() <= to) {
                covering.add("--shard " + k + "/" + count);
            }
        }
        return range + (covering.isEmpty() ? "" : " (" + String.join(", ", covering) + ")");
    }
}
