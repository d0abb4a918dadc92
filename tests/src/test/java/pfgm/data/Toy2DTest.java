package pfgm.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import pfgm.ManagedArrays;
import pfgm.Stats;
import pfgm.util.Rng;

/**
 * The toy sets against their definitions: marginal distributions by Kolmogorov-Smirnov, moments
 * in closed form, supports, and log densities that integrate to one.
 */
class Toy2DTest extends ManagedArrays {
    static final int COUNT = 20000;
    static final double P_MIN = 1e-3;

    /** Column {@code axis} (0 = x, 1 = y) of COUNT samples at seed 11. */
    static double[] column(Toy2D toy, int axis) {
        NDArray points = toy.sample(manager, COUNT, new Rng(11));
        double[] flat = points.toType(DataType.FLOAT64, false).toDoubleArray();
        return java.util.stream.IntStream.range(0, COUNT).mapToDouble(i -> flat[2 * i + axis]).toArray();
    }

    /** CDF of an equal-or-weighted mixture of 1-D normals. */
    static DoubleUnaryOperator normalMixtureCdf(double[] weights, double[] means, double[] sds) {
        NormalDistribution[] parts = new NormalDistribution[weights.length];
        for (int k = 0; k < parts.length; k++) {
            parts[k] = new NormalDistribution(null, means[k], sds[k]);
        }
        return x -> {
            double f = 0;
            for (int k = 0; k < parts.length; k++) {
                f += weights[k] * parts[k].cumulativeProbability(x);
            }
            return f;
        };
    }

    static void assertMoment(double[] values, DoubleUnaryOperator f, double expected, String what) {
        double[] mapped = Arrays.stream(values).map(f).toArray();
        double mean = Arrays.stream(mapped).average().orElseThrow();
        double sd = Math.sqrt(Arrays.stream(mapped).map(v -> (v - mean) * (v - mean)).sum() / (values.length - 1));
        assertEquals(expected, mean, 5 * sd / Math.sqrt(values.length), what);
    }

    @ParameterizedTest
    @EnumSource(Toy2D.class)
    void samplesAreFloatPairsDeterminedByTheSeed(Toy2D toy) {
        NDArray a = toy.sample(manager, 100, new Rng(5));
        assertEquals(new Shape(100, 2), a.getShape());
        assertEquals(DataType.FLOAT32, a.getDataType());
        assertArrayEquals(a.toFloatArray(), toy.sample(manager, 100, new Rng(5)).toFloatArray());
        assertFalse(Arrays.equals(a.toFloatArray(), toy.sample(manager, 100, new Rng(6)).toFloatArray()));
        float maxAbs = a.abs().max().getFloat();
        assertTrue(maxAbs < 8, toy + " reaches " + maxAbs + ", the toy sets stay within a few units");
    }

    @Test
    void eightGaussianMarginalsMatchTheRingMixture() {
        double radius = 2 * Math.sqrt(2);
        double sd = 0.5 / Math.sqrt(2);
        double[] weights = new double[8];
        double[] xs = new double[8];
        double[] ys = new double[8];
        double[] sds = new double[8];
        for (int k = 0; k < 8; k++) {
            weights[k] = 1.0 / 8;
            xs[k] = radius * Math.cos(k * Math.PI / 4);
            ys[k] = radius * Math.sin(k * Math.PI / 4);
            sds[k] = sd;
        }
        double[] x = column(Toy2D.EIGHT_GAUSSIANS, 0);
        assertTrue(Stats.ksPValue(x, normalMixtureCdf(weights, xs, sds)) > P_MIN);
        assertTrue(Stats.ksPValue(column(Toy2D.EIGHT_GAUSSIANS, 1), normalMixtureCdf(weights, ys, sds)) > P_MIN);
        // The test has the power to notice a small error: a ring 5% too large is rejected.
        double[] wider = Arrays.stream(xs).map(v -> v * 1.05).toArray();
        assertTrue(Stats.ksPValue(x, normalMixtureCdf(weights, wider, sds)) < P_MIN);
    }

    @Test
    void gaussianMixtureMarginalsMatchItsComponents() {
        double[] weights = {0.5, 0.3, 0.2};
        assertTrue(Stats.ksPValue(column(Toy2D.GAUSSIAN_MIXTURE, 0),
                normalMixtureCdf(weights, new double[] {-1.5, 1.5, 0}, new double[] {0.5, 0.3, 0.6})) > P_MIN);
        assertTrue(Stats.ksPValue(column(Toy2D.GAUSSIAN_MIXTURE, 1),
                normalMixtureCdf(weights, new double[] {-1, 0, 2}, new double[] {0.5, 0.8, 0.3})) > P_MIN);
    }

    @Test
    void checkerboardFillsOnlyBlackSquaresEvenly() {
        double[] x = column(Toy2D.CHECKERBOARD, 0);
        double[] y = column(Toy2D.CHECKERBOARD, 1);
        int[] perSquare = new int[16];
        for (int i = 0; i < COUNT; i++) {
            int col = (int) Math.floor(x[i] / 2) + 2;
            int row = (int) Math.floor(y[i] / 2) + 2;
            assertTrue(col >= 0 && col < 4 && row >= 0 && row < 4, "outside the board: " + x[i] + ", " + y[i]);
            assertEquals(0, (col + row) % 2, "white square: " + x[i] + ", " + y[i]);
            perSquare[4 * row + col]++;
        }
        double expected = COUNT / 8.0;
        double sd = Math.sqrt(COUNT * (1 / 8.0) * (7 / 8.0));
        for (int s = 0; s < 16; s++) {
            if ((s / 4 + s % 4) % 2 == 0) {
                assertEquals(expected, perSquare[s], 5 * sd, "square " + s);
            }
        }
        assertTrue(Stats.ksPValue(x, v -> Math.min(1, Math.max(0, (v + 4) / 8))) > P_MIN);
    }

    @Test
    void diskIsUniform() {
        double[] x = column(Toy2D.UNIFORM_DISK, 0);
        double[] y = column(Toy2D.UNIFORM_DISK, 1);
        double[] areaFraction = new double[COUNT];
        double[] angle = new double[COUNT];
        for (int i = 0; i < COUNT; i++) {
            areaFraction[i] = (x[i] * x[i] + y[i] * y[i]) / 4; // r^2 / R^2 ~ U[0, 1] for R = 2
            angle[i] = Math.atan2(y[i], x[i]);
        }
        assertTrue(Stats.ksPValue(areaFraction, v -> Math.min(1, Math.max(0, v))) > P_MIN);
        assertTrue(Stats.ksPValue(angle, v -> (v + Math.PI) / (2 * Math.PI)) > P_MIN);
    }

    /**
     * Two moons: t ~ U[0, pi], the upper arc (cos t, sin t) or the lower (1 - cos t, 1/2 - sin t),
     * noise sd 0.1, then 2 p - (1, 0.2). With E cos = 0, E sin = 2/pi, E cos^2 = E sin^2 = 1/2.
     */
    @Test
    void moonsHaveTheMomentsOfTheirArcs() {
        double[] x = column(Toy2D.TWO_MOONS, 0);
        double[] y = column(Toy2D.TWO_MOONS, 1);
        double ex = 0.5;
        double ex2 = (0.5 + 1.5) / 2 + 0.01;
        double ey = 0.25;
        double ey2 = (0.5 + 0.75 - 2 / Math.PI) / 2 + 0.01;
        assertMoment(x, v -> v, 2 * ex - 1, "E x");
        assertMoment(x, v -> v * v, 4 * ex2 - 4 * ex + 1, "E x^2");
        assertMoment(y, v -> v, 2 * ey - 0.2, "E y");
        assertMoment(y, v -> v * v, 4 * ey2 - 0.8 * ey + 0.04, "E y^2");
    }

    /** Swiss roll: (t cos t, t sin t) + N(0, I), over 5, t ~ U[a, b] with a = 1.5 pi, b = 4.5 pi. */
    @Test
    void swissRollHasTheMomentsOfItsSpiral() {
        double[] x = column(Toy2D.SWISS_ROLL, 0);
        double[] y = column(Toy2D.SWISS_ROLL, 1);
        double a = 1.5 * Math.PI;
        double b = 4.5 * Math.PI;
        // Antiderivatives: t cos t -> cos t + t sin t; t sin t -> sin t - t cos t.
        double ex = ((Math.cos(b) + b * Math.sin(b)) - (Math.cos(a) + a * Math.sin(a))) / (b - a);
        double ey = ((Math.sin(b) - b * Math.cos(b)) - (Math.sin(a) - a * Math.cos(a))) / (b - a);
        double et2 = (a * a + a * b + b * b) / 3;
        assertMoment(x, v -> v, ex / 5, "E x");
        assertMoment(y, v -> v, ey / 5, "E y");
        double[] squaredNorm = new double[COUNT];
        for (int i = 0; i < COUNT; i++) {
            squaredNorm[i] = x[i] * x[i] + y[i] * y[i];
        }
        assertMoment(squaredNorm, v -> v, (et2 + 2) / 25, "E |p|^2");
    }

    @ParameterizedTest
    @EnumSource(value = Toy2D.class, names = {"EIGHT_GAUSSIANS", "GAUSSIAN_MIXTURE", "CHECKERBOARD", "UNIFORM_DISK"})
    void logDensityIntegratesToOne(Toy2D toy) {
        assertTrue(toy.hasDensity());
        double h = 0.01;
        double total = 0;
        for (double x = -8 + h / 2; x < 8; x += h) {
            for (double y = -8 + h / 2; y < 8; y += h) {
                total += Math.exp(toy.logDensity(x, y));
            }
        }
        // The midpoint rule is exact to 1e-6 for the smooth sets; the disk's rim costs O(h).
        assertEquals(1, total * h * h, toy == Toy2D.UNIFORM_DISK ? 2e-3 : 1e-6);
    }

    @Test
    void densitiesAreZeroOffTheSupportAndMatchTheComponents() {
        assertEquals(Double.NEGATIVE_INFINITY, Toy2D.CHECKERBOARD.logDensity(1, 3)); // square (0, 1): white
        assertEquals(-Math.log(32), Toy2D.CHECKERBOARD.logDensity(1, 1), 1e-12);
        assertEquals(Double.NEGATIVE_INFINITY, Toy2D.UNIFORM_DISK.logDensity(1.5, 1.5));
        assertEquals(-Math.log(4 * Math.PI), Toy2D.UNIFORM_DISK.logDensity(0.3, -1), 1e-12);
        // Far from the other seven, the density at a centre is its own component's peak.
        double sd = 0.5 / Math.sqrt(2);
        assertEquals(Math.log(1 / 8.0 / (2 * Math.PI * sd * sd)), Toy2D.EIGHT_GAUSSIANS.logDensity(2 * Math.sqrt(2), 0), 1e-6);
        assertFalse(Toy2D.TWO_MOONS.hasDensity());
        assertThrows(UnsupportedOperationException.class, () -> Toy2D.SWISS_ROLL.logDensity(0, 0));
    }

    @Test
    void setsAreFoundByName() {
        assertEquals(Toy2D.TWO_MOONS, Toy2D.named("two-moons"));
        assertEquals(Toy2D.EIGHT_GAUSSIANS, Toy2D.named("EIGHT_GAUSSIANS"));
        String message = assertThrows(IllegalArgumentException.class, () -> Toy2D.named("spirals")).getMessage();
        assertTrue(message.contains("checkerboard"), message);
    }
}
