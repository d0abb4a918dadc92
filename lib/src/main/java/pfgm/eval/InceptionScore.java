package pfgm.eval;

/**
 * The Inception score (Salimans et al. 2016): exp(E_x KL(p(y|x) || p(y))), computed on each of
 * {@code splits} consecutive parts of the samples with p(y) the part's mean prediction; the mean
 * and standard deviation (numpy's, divisor n) over parts, as the original code reports them. It is
 * 1 when every sample gets the same prediction and K when predictions are confident and spread
 * evenly over K classes.
 */
public final class InceptionScore {
    private InceptionScore() {}

    public record Result(double mean, double std) {}

    /** The paper's setting: 10 splits. */
    public static Result of(double[][] probabilities) {
        return of(probabilities, 10);
    }

    public static Result of(double[][] probabilities, int splits) {
        if (probabilities == null) {
            throw new IllegalArgumentException("the feature network gives no class probabilities; the Inception score"
                    + " needs one whose TorchScript forward returns (features, logits)");
        }
        int n = probabilities.length;
        if (splits < 1 || n < splits) {
            throw new IllegalArgumentException("need at least one sample per split: " + n + " samples, " + splits + " splits");
        }
        double[] scores = new double[splits];
        for (int s = 0; s < splits; s++) {
            scores[s] = Math.exp(meanKl(probabilities, s * n / splits, (s + 1) * n / splits));
        }
        double mean = java.util.Arrays.stream(scores).average().orElseThrow();
        double variance = java.util.Arrays.stream(scores).map(v -> (v - mean) * (v - mean)).average().orElseThrow();
        return new Result(mean, Math.sqrt(variance));
    }

    /** Mean over rows [from, to) of KL(p(y|x) || p(y)), p(y) the mean of those rows. */
    private static double meanKl(double[][] p, int from, int to) {
        int classes = p[from].length;
        double[] marginal = new double[classes];
        for (int i = from; i < to; i++) {
            for (int k = 0; k < classes; k++) {
                marginal[k] += p[i][k] / (to - from);
            }
        }
        double kl = 0;
        for (int i = from; i < to; i++) {
            for (int k = 0; k < classes; k++) {
                if (p[i][k] > 0) {
                    kl += p[i][k] * (Math.log(p[i][k]) - Math.log(marginal[k]));
                }
            }
        }
        return kl / (to - from);
    }
}
