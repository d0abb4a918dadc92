package pfgm.util;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.random.Well19937c;

/**
 * The one source of randomness. Numbers are drawn in Java from a seed, then copied into NDArrays,
 * so a seed gives the same values on every engine and device, and a stream can be re-created for
 * any (seed, step) pair when a run resumes.
 */
public final class Rng {
    private final SplittableRandom random;

    public Rng(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** The stream for one numbered unit of work (a training step, a sampling batch) of a seeded run. */
    public static Rng forStep(long seed, long step) {
        return new Rng(new SplittableRandom(seed).split().nextLong() ^ (step * 0x9E3779B97F4A7C15L));
    }

    public long nextLong() {
        return random.nextLong();
    }

    public double nextDouble() {
        return random.nextDouble();
    }

    public double nextGaussian() {
        return random.nextGaussian();
    }

    /** Standard normal values in float32 with the given shape. */
    public NDArray normal(NDManager manager, Shape shape) {
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return manager.create(values, shape);
    }

    /** Uniform values on [low, high) in float32. */
    public NDArray uniform(NDManager manager, Shape shape, double low, double high) {
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (low + (high - low) * random.nextDouble());
        }
        return manager.create(values, shape);
    }

    /** {@code n} rows, each uniform on the unit sphere S^(dim-1) (normalized Gaussians). */
    public NDArray unitVectors(NDManager manager, int n, int dim) {
        NDArray gaussian = normal(manager, new Shape(n, dim));
        NDArray norms = gaussian.norm(new int[] {1}, true);
        NDArray unit = gaussian.div(norms);
        gaussian.close();
        norms.close();
        return unit;
    }

    /** {@code n} draws from Beta(a, b) in float64. */
    public double[] beta(int n, double a, double b) {
        BetaDistribution beta = new BetaDistribution(new Well19937c(random.nextLong()), a, b);
        return beta.sample(n);
    }

    /**
     * {@code n} draws of b / (1 - b) for b ~ Beta(a, b) (the beta-prime distribution), in float64,
     * as G_a / G_b with independent G_a ~ Gamma(a), G_b ~ Gamma(b). Forming 1 - b from a Beta draw
     * instead loses everything when b rounds to 1 (likely when a is much larger than b, as for
     * PFGM++ with N/2 = 1536 and D/2 = 0.5).
     */
    public double[] betaPrime(int n, double a, double b) {
        GammaDistribution numerator = new GammaDistribution(new Well19937c(random.nextLong()), a, 1);
        GammaDistribution denominator = new GammaDistribution(new Well19937c(random.nextLong()), b, 1);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = numerator.sample() / denominator.sample();
        }
        return out;
    }
}
