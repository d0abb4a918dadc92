package pfgm.shard;

/**
 * Batches {@code first} (inclusive) to {@code end} (exclusive) of a draw of {@code n} samples in
 * batches of {@code batchSize}: the unit a shard covers. Shards are whole batches because a
 * sample is fixed by (seed, batch size, its index), not by its seed and index alone: batch b is
 * drawn from {@code Rng.forStep(seed, b)}, and RK45 adapts one step size to the whole batch.
 */
public record BatchRange(int n, int batchSize, int first, int end) {

    public BatchRange {
        if (n < 1 || batchSize < 1) {
            throw new IllegalArgumentException("a draw needs n >= 1 and a batch size >= 1, got n " + n + ", batch size " + batchSize);
        }
        if (first < 0 || end <= first || end > batchCount(n, batchSize)) {
            throw new IllegalArgumentException("batches " + first + " to " + (end - 1) + " are not within the "
                    + batchCount(n, batchSize) + " batches of " + n + " samples in batches of " + batchSize);
        }
    }

    /** How many batches n samples make: the last one may be short. */
    public static int batchCount(int n, int batchSize) {
        return (n + batchSize - 1) / batchSize;
    }

    /** Every batch of the draw: what one process evaluates. */
    public static BatchRange all(int n, int batchSize) {
        return new BatchRange(n, batchSize, 0, batchCount(n, batchSize));
    }

    /**
     * Shard {@code index} of {@code count} (1-based, as "3/8" on the command line): the batches
     * spread as evenly as they go, shard k taking batches floor((k - 1) B / K) to floor(k B / K) - 1.
     */
    public static BatchRange shard(int n, int batchSize, int index, int count) {
        int batches = batchCount(n, batchSize);
        if (count < 1 || index < 1 || index > count) {
            throw new IllegalArgumentException("shard " + index + "/" + count + " does not exist: shards are numbered 1/K to K/K");
        }
        if (count > batches) {
            throw new IllegalArgumentException(n + " samples in batches of " + batchSize + " make " + batches
                    + " batch(es), and a shard is whole batches: use at most " + batches + " shards, or a smaller --batch-size");
        }
        return new BatchRange(n, batchSize, (int) ((long) (index - 1) * batches / count), (int) ((long) index * batches / count));
    }

    /** "k/K" as {@link #shard(int, int, int, int)} takes it. */
    public static BatchRange shard(int n, int batchSize, String spec) {
        String[] parts = spec.strip().split("/");
        try {
            if (parts.length == 2) {
                return shard(n, batchSize, Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
            }
        } catch (NumberFormatException ignored) {
            // the message below says what is expected
        }
        throw new IllegalArgumentException("--shard takes k/K, shard k of K counted from 1 (such as 3/8), got '" + spec + "'");
    }

    public int firstSample() {
        return first * batchSize;
    }

    /** One past the last sample. */
    public int endSample() {
        return Math.min(n, end * batchSize);
    }

    public int size() {
        return endSample() - firstSample();
    }

    public int batches() {
        return end - first;
    }

    @Override
    public String toString() {
        return "batches " + first + "-" + (end - 1) + " (samples " + firstSample() + "-" + (endSample() - 1) + ")";
    }
}
