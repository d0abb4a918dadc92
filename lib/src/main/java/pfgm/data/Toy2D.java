package pfgm.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import pfgm.util.Rng;

/**
 * The 2-D toy sets of the flow literature, at the scales of the usual benchmarks (FFJORD's
 * generators): every point within a few units of the origin. Where the density is a closed form
 * {@link #logDensity} gives it exactly, so sample quality can be measured against the truth.
 * {@code sample(manager, n, rng)} fits the trainer's batch source as a method reference.
 */
public enum Toy2D {
    /** Eight Gaussians (sd 0.5/sqrt 2) evenly spaced on the circle of radius 2 sqrt 2. */
    EIGHT_GAUSSIANS(GaussianMixture2D.ring(8, 2 * Math.sqrt(2), 0.5 / Math.sqrt(2))),
    /** Scikit-learn's two moons with noise 0.1, scaled by 2 and shifted by (-1, -0.2). */
    TWO_MOONS(false) {
        @Override
        void draw(Rng rng, double[] point) {
            double t = Math.PI * rng.nextDouble();
            boolean upper = rng.nextDouble() < 0.5;
            double x = upper ? Math.cos(t) : 1 - Math.cos(t);
            double y = upper ? Math.sin(t) : 0.5 - Math.sin(t);
            point[0] = 2 * (x + 0.1 * rng.nextGaussian()) - 1;
            point[1] = 2 * (y + 0.1 * rng.nextGaussian()) - 0.2;
        }
    },
    /** Uniform on the 8 squares of side 2 of a 4x4 board on [-4, 4]^2 whose floor(x/2) + floor(y/2) is even. */
    CHECKERBOARD(true) {
        @Override
        void draw(Rng rng, double[] point) {
            double u = 4 * rng.nextDouble() - 2;
            double v = rng.nextDouble() + 2 * Math.floor(2 * rng.nextDouble()) - 2 + Math.floorMod((int) Math.floor(u), 2);
            point[0] = 2 * u;
            point[1] = 2 * v;
        }

        @Override
        public double logDensity(double x, double y) {
            boolean inside = Math.abs(x) < 4 && Math.abs(y) < 4;
            boolean black = Math.floorMod((int) Math.floor(x / 2) + (int) Math.floor(y / 2), 2) == 0;
            return inside && black ? -Math.log(32) : Double.NEGATIVE_INFINITY;
        }
    },
    /** Scikit-learn's swiss roll (noise 1) seen from above, divided by 5: radius t / 5, t in [1.5 pi, 4.5 pi]. */
    SWISS_ROLL(false) {
        @Override
        void draw(Rng rng, double[] point) {
            double t = 1.5 * Math.PI * (1 + 2 * rng.nextDouble());
            point[0] = (t * Math.cos(t) + rng.nextGaussian()) / 5;
            point[1] = (t * Math.sin(t) + rng.nextGaussian()) / 5;
        }
    },
    /** Uniform on the disk of radius 2. */
    UNIFORM_DISK(true) {
        private static final double RADIUS = 2;

        @Override
        void draw(Rng rng, double[] point) {
            double r = RADIUS * Math.sqrt(rng.nextDouble());
            double angle = 2 * Math.PI * rng.nextDouble();
            point[0] = r * Math.cos(angle);
            point[1] = r * Math.sin(angle);
        }

        @Override
        public double logDensity(double x, double y) {
            return x * x + y * y < RADIUS * RADIUS ? -Math.log(Math.PI * RADIUS * RADIUS) : Double.NEGATIVE_INFINITY;
        }
    },
    /** Three unequal, anisotropic Gaussians (weights 0.5, 0.3, 0.2): a set without symmetries. */
    GAUSSIAN_MIXTURE(new GaussianMixture2D(List.of(
            new GaussianMixture2D.Component(0.5, -1.5, -1.0, 0.5, 0.5),
            new GaussianMixture2D.Component(0.3, 1.5, 0.0, 0.3, 0.8),
            new GaussianMixture2D.Component(0.2, 0.0, 2.0, 0.6, 0.3))));

    private final boolean hasDensity;
    /** The mixture that draws the points and gives the density; null for the sets with their own code. */
    private final GaussianMixture2D mixture;

    Toy2D(boolean hasDensity) {
        this.hasDensity = hasDensity;
        this.mixture = null;
    }

    Toy2D(GaussianMixture2D mixture) {
        this.hasDensity = true;
        this.mixture = mixture;
    }

    /** Looks a set up by its name in any case, with '-' or '_': "two-moons", "EIGHT_GAUSSIANS". */
    public static Toy2D named(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown toy set '" + name + "'; choose one of "
                    + Arrays.stream(values()).map(t -> t.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList(), e);
        }
    }

    /** n points as an (n, 2) float32 array. */
    public NDArray sample(NDManager manager, int n, Rng rng) {
        float[] values = new float[2 * n];
        double[] point = new double[2];
        for (int i = 0; i < n; i++) {
            draw(rng, point);
            values[2 * i] = (float) point[0];
            values[2 * i + 1] = (float) point[1];
        }
        return manager.create(values, new Shape(n, 2));
    }

    /** Whether {@link #logDensity} is available (the moons and the swiss roll have no closed form). */
    public boolean hasDensity() {
        return hasDensity;
    }

    /** The natural log of the density at (x, y); negative infinity outside the support. */
    public double logDensity(double x, double y) {
        if (mixture == null) {
            throw new UnsupportedOperationException(name() + " has no closed-form density");
        }
        return mixture.logDensity(x, y);
    }

    /** Whether the set is a Gaussian mixture, so that {@link #standardizedDistanceToCentre} is defined. */
    public boolean isGaussianMixture() {
        return mixture != null;
    }

    /**
     * The distance from (x, y) to the nearest mixture component's mean in units of that component's
     * standard deviations (per axis): a point within 2 sd of a centre gives at most 2. For one
     * isotropic 2-D Gaussian this distance is Rayleigh, so 1 - e^(-2) = 86.5% of its points lie within 2 sd.
     */
    public double standardizedDistanceToCentre(double x, double y) {
        if (mixture == null) {
            throw new UnsupportedOperationException(name() + " is not a Gaussian mixture: it has no centres");
        }
        return mixture.nearestStandardizedDistance(x, y);
    }

    /** One point into {@code point}; the sets that are not mixtures override this. */
    void draw(Rng rng, double[] point) {
        mixture.draw(rng, point);
    }
}
