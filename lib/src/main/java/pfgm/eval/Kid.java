package pfgm.eval;

import pfgm.util.Rng;

/**
 * Kernel Inception Distance (Binkowski et al. 2018): the unbiased estimate of the squared MMD
 * with the polynomial kernel k(x, y) = (x.y / d + 1)^3, averaged over random subsets of both sets.
 */
public final class Kid {
    private Kid() {}

    /** Mean and standard deviation of the subset estimates. */
    public record Result(double mean, double std) {}

    /**
     * @param subsets number of subset pairs (100 is customary)
     * @param subsetSize samples per subset (1000 customary; at most the smaller set's size)
     */
    public static Result of(double[][] real, double[][] generated, int subsets, int subsetSize, Rng rng) {
        int m = Math.min(subsetSize, Math.min(real.length, generated.length));
        if (m < 2 || real[0].length != generated[0].length) {
            throw new IllegalArgumentException("need at least 2 samples per set with features of equal dimension");
        }
        double[] estimates = new double[subsets];
        for (int s = 0; s < subsets; s++) {
            estimates[s] = unbiasedMmd2(pick(real, m, rng), pick(generated, m, rng));
        }
        double mean = java.util.Arrays.stream(estimates).average().orElseThrow();
        double variance = java.util.Arrays.stream(estimates).map(e -> (e - mean) * (e - mean)).sum() / Math.max(1, subsets - 1);
        return new Result(mean, Math.sqrt(variance));
    }

    static double unbiasedMmd2(double[][] x, double[][] y) {
        return Mmd.unbiasedSquared(x, y, Kid::kernel);
    }

    static double kernel(double[] a, double[] b) {
        double dot = 0;
        for (int k = 0; k < a.length; k++) {
            dot += a[k] * b[k];
        }
        double base = dot / a.length + 1;
        return base * base * base;
    }

    /** m rows drawn without replacement (a partial Fisher-Yates shuffle). */
    private static double[][] pick(double[][] rows, int m, Rng rng) {
        int[] index = java.util.stream.IntStream.range(0, rows.length).toArray();
        double[][] out = new double[m][];
        for (int i = 0; i < m; i++) {
            int j = i + (int) (rng.nextDouble() * (rows.length - i));
            int t = index[i];
            index[i] = index[j];
            index[j] = t;
            out[i] = rows[index[i]];
        }
        return out;
    }
}
