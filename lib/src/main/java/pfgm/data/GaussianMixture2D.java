package pfgm.data;

import java.util.List;
import java.util.stream.IntStream;
import pfgm.util.Rng;

/** A mixture of axis-aligned 2-D Gaussians: the toy sets whose density is a closed form. */
record GaussianMixture2D(List<Component> components) {

    /** One Gaussian with its mixture weight (weights sum to 1). */
    record Component(double weight, double meanX, double meanY, double sigmaX, double sigmaY) {}

    /** Equal-weight isotropic Gaussians of standard deviation {@code sigma} on a circle of {@code radius}. */
    static GaussianMixture2D ring(int count, double radius, double sigma) {
        return new GaussianMixture2D(IntStream.range(0, count).mapToObj(k -> new Component(1.0 / count,
                radius * Math.cos(2 * Math.PI * k / count), radius * Math.sin(2 * Math.PI * k / count), sigma, sigma))
                .toList());
    }

    void draw(Rng rng, double[] point) {
        double u = rng.nextDouble();
        Component chosen = components.get(components.size() - 1);
        for (Component c : components) {
            if (u < c.weight()) {
                chosen = c;
                break;
            }
            u -= c.weight();
        }
        point[0] = chosen.meanX() + chosen.sigmaX() * rng.nextGaussian();
        point[1] = chosen.meanY() + chosen.sigmaY() * rng.nextGaussian();
    }

    /**
     * The smallest standardized distance sqrt(((x - mu_x) / sigma_x)^2 + ((y - mu_y) / sigma_y)^2)
     * from (x, y) to a component's mean: below 2 means within 2 standard deviations of that centre.
     */
    double nearestStandardizedDistance(double x, double y) {
        double best = Double.POSITIVE_INFINITY;
        for (Component c : components) {
            double dx = (x - c.meanX()) / c.sigmaX();
            double dy = (y - c.meanY()) / c.sigmaY();
            best = Math.min(best, dx * dx + dy * dy);
        }
        return Math.sqrt(best);
    }

    /** log sum_k w_k N(x; mu_k, diag(sigma_k^2)), summed in the log domain so far tails stay finite. */
    double logDensity(double x, double y) {
        double[] terms = new double[components.size()];
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < terms.length; k++) {
            Component c = components.get(k);
            double dx = (x - c.meanX()) / c.sigmaX();
            double dy = (y - c.meanY()) / c.sigmaY();
            terms[k] = Math.log(c.weight()) - Math.log(2 * Math.PI * c.sigmaX() * c.sigmaY()) - 0.5 * (dx * dx + dy * dy);
            max = Math.max(max, terms[k]);
        }
        double sum = 0;
        for (double t : terms) {
            sum += Math.exp(t - max);
        }
        return max + Math.log(sum);
    }
}
