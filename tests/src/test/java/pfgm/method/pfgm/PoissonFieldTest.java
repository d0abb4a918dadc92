package pfgm.method.pfgm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pfgm.Arrays2.cosine;
import static pfgm.Arrays2.norm;
import static pfgm.Arrays2.rows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import pfgm.Arrays2;
import pfgm.ManagedArrays;
import pfgm.util.Rng;

class PoissonFieldTest extends ManagedArrays {

    @Test
    void unitSphereAreasMatchKnownValues() {
        assertEquals(2 * Math.PI, Math.exp(PoissonField.logUnitSphereArea(1)), 1e-12); // circle
        assertEquals(4 * Math.PI, Math.exp(PoissonField.logUnitSphereArea(2)), 1e-12); // sphere in R^3
        assertEquals(2 * Math.PI * Math.PI, Math.exp(PoissonField.logUnitSphereArea(3)), 1e-12);
        assertEquals(8 * Math.PI * Math.PI / 3, Math.exp(PoissonField.logUnitSphereArea(4)), 1e-12);
    }

    @Test
    void fieldOfOneChargeIsCoulombsLawInNPlusOneDimensions() {
        double[] q3 = {1.0, 0.5, 0.7};
        double[][] e3 = rows(PoissonField.raw(Arrays2.matrix(manager, new double[][] {q3}),
                Arrays2.matrix(manager, new double[][] {{0.3, -0.2}})));
        double[] d3 = {0.7, 0.7, 0.7};
        double r3 = norm(d3);
        for (int k = 0; k < 3; k++) {
            assertEquals(d3[k] / (4 * Math.PI * r3 * r3 * r3), e3[0][k], 1e-12);
        }
        double[] q4 = {0.1, 0.2, 0.3, 2.0};
        double[][] e4 = rows(PoissonField.raw(Arrays2.matrix(manager, new double[][] {q4}),
                Arrays2.matrix(manager, new double[][] {{-1, 0.5, 0.25}})));
        double[] d4 = {1.1, -0.3, 0.05, 2.0};
        double r4 = norm(d4);
        for (int k = 0; k < 4; k++) {
            assertEquals(d4[k] / (2 * Math.PI * Math.PI * Math.pow(r4, 4)), e4[0][k], 1e-12);
        }
    }

    @Test
    void rawFieldIsTheAverageCoulombFieldOfTheCharges() {
        Rng rng = new Rng(3);
        NDArray charges = rng.normal(manager, new Shape(50, 2));
        NDArray points = rng.uniform(manager, new Shape(7, 3), 0.05, 2);
        double[][] y = rows(charges);
        double[][] q = rows(points);
        double[][] e = rows(PoissonField.raw(points, charges));
        for (int i = 0; i < q.length; i++) {
            double[] expected = new double[3];
            for (double[] c : y) {
                double[] d = {q[i][0] - c[0], q[i][1] - c[1], q[i][2]};
                double r = norm(d);
                for (int k = 0; k < 3; k++) {
                    expected[k] += d[k] / (4 * Math.PI * r * r * r) / y.length;
                }
            }
            assertArrayEquals(expected, e[i], 1e-9 * norm(expected));
        }
    }

    @Test
    void symmetricChargesGiveASymmetricField() {
        double[][] octahedron = {{1, 0, 0}, {-1, 0, 0}, {0, 1, 0}, {0, -1, 0}, {0, 0, 1}, {0, 0, -1}};
        NDArray charges = Arrays2.matrix(manager, octahedron);
        double[][] onAxis = rows(PoissonField.raw(Arrays2.matrix(manager, new double[][] {{0, 0, 0, 0.8}}), charges));
        assertEquals(0, onAxis[0][0], 1e-15);
        assertEquals(0, onAxis[0][1], 1e-15);
        assertEquals(0, onAxis[0][2], 1e-15);
        assertTrue(onAxis[0][3] > 0, "the field points away from the charges");
        for (boolean normalized : new boolean[] {false, true}) {
            NDArray points = Arrays2.matrix(manager, new double[][] {{0.3, 0.2, -0.4, 0.5}, {-0.3, 0.2, -0.4, 0.5}});
            double[][] e = rows(normalized ? PoissonField.normalized(points, charges.toType(ai.djl.ndarray.types.DataType.FLOAT32, false), 5)
                    : PoissonField.raw(points, charges));
            double tol = normalized ? 1e-6 : 1e-14;
            assertEquals(-e[0][0], e[1][0], tol, "mirror x1 -> -x1 flips the first component");
            for (int k = 1; k < 4; k++) {
                assertEquals(e[0][k], e[1][k], tol);
            }
        }
    }

    /** The bar: N = 3072, B = 4096, including m = 0 perturbations next to their own charge. */
    @Test
    void normalizedTargetMatchesFloat64BruteForceAtCifarScale() {
        int n = 3072;
        int b = 4096;
        Rng rng = new Rng(11);
        NDArray charges = rng.uniform(manager, new Shape(b, n), -1, 1);
        double[][] y = rows(charges);
        int near = 24;
        int kernel = 24;
        double[][] points = new double[near + kernel][];
        for (int i = 0; i < near; i++) { // m = 0: z = |eps_z|, x = y_i + eps_x
            points[i] = new double[n + 1];
            for (int k = 0; k < n; k++) {
                points[i][k] = (float) (y[i][k] + 0.01 * rng.nextGaussian());
            }
            points[i][n] = (float) Math.abs(0.01 * rng.nextGaussian());
        }
        double[][] perturbed = rows(new PerturbationKernel(0.01, 0.03, 291, true)
                .perturb(charges.get("{}:{}", near, near + kernel), rng));
        System.arraycopy(perturbed, 0, points, near, kernel);
        NDArray query = Arrays2.matrix(manager, points).toType(DataType.FLOAT32, false);
        double[][] v = rows(PoissonField.normalized(query, charges, 5));
        double[][] v32 = rows(PoissonField.normalized(query, charges, 5, DataType.FLOAT32));
        double float32Error = 0;
        for (int i = 0; i < points.length; i++) {
            double[] x = java.util.Arrays.copyOf(points[i], n);
            double[] expected = BruteForceField.normalized(x, points[i][n], y, 5);
            assertTrue(cosine(expected, v[i]) >= 0.99999, "point " + i + ": cosine " + cosine(expected, v[i]));
            double relative = Math.abs(norm(v[i]) - norm(expected)) / norm(expected);
            assertTrue(relative <= 1e-4, "point " + i + ": relative norm error " + relative);
            float32Error = Math.max(float32Error, relativeError(v32[i], expected));
        }
        // docs/speed.md: float32 would do here (measured 1e-5 at worst), were it not for near-duplicates (below).
        assertTrue(float32Error <= 1e-4, "float32's largest relative error " + float32Error);
    }

    /**
     * Why the target stays in float64 (docs/speed.md): when the batch holds a near-duplicate of a
     * point's own charge, the two weights hang on a distance difference below float32's rounding of
     * ||x||^2 + ||y||^2 - 2 x.y, and the float32 target is off by 0.5% (measured: N = 256) where float64
     * agrees with the brute force to 3e-8.
     */
    @Test
    void float32LosesTheTargetNextToANearDuplicateCharge() {
        int n = 256;
        Rng rng = new Rng(5);
        NDArray base = rng.uniform(manager, new Shape(512, n), -1, 1);
        NDArray twin = base.get("0:1").add(rng.unitVectors(manager, 1, n).mul(0.01));
        NDArray charges = ai.djl.ndarray.NDArrays.concat(new ai.djl.ndarray.NDList(base.get("0:1"), twin, base.get("2:")), 0);
        // m = 0: the kernel's smallest perturbations of the first charge (M = 1 keeps (1 + tau)^m below 1.03).
        NDArray points = new PerturbationKernel(0.01, 0.03, 1, true).perturb(base.get("0:1").repeat(0, 32), rng);
        double[][] y = rows(charges);
        double[][] q = rows(points);
        double[][] v64 = rows(PoissonField.normalized(points, charges, 5));
        double[][] v32 = rows(PoissonField.normalized(points, charges, 5, DataType.FLOAT32));
        double float64Error = 0;
        double float32Error = 0;
        for (int i = 0; i < q.length; i++) {
            double[] expected = BruteForceField.normalized(java.util.Arrays.copyOf(q[i], n), q[i][n], y, 5);
            float64Error = Math.max(float64Error, relativeError(v64[i], expected));
            float32Error = Math.max(float32Error, relativeError(v32[i], expected));
        }
        assertTrue(float64Error <= 1e-6, "float64's largest relative error " + float64Error);
        assertTrue(float32Error >= 1e-3, "float32's largest relative error " + float32Error + ": if float32 is now"
                + " accurate here, docs/speed.md's reason for float64 no longer holds");
    }

    /** ||actual - expected|| / ||expected||. */
    private static double relativeError(double[] actual, double[] expected) {
        double[] difference = new double[expected.length];
        for (int k = 0; k < expected.length; k++) {
            difference[k] = actual[k] - expected[k];
        }
        return norm(difference) / norm(expected);
    }

    @Test
    void theFieldComputesInFloat32OrFloat64Only() {
        NDArray charges = manager.zeros(new Shape(3, 4));
        var e = assertThrows(IllegalArgumentException.class,
                () -> PoissonField.normalized(manager.zeros(new Shape(2, 5)), charges, 5, DataType.FLOAT16));
        assertTrue(e.getMessage().contains("float64 or float32"), e.getMessage());
    }

    @Test
    void chunkedComputationAgreesWithBruteForce() {
        int b = 200_000; // rows per chunk = 2^21 / B = 10, so 35 points take four chunks
        Rng rng = new Rng(5);
        NDArray charges = rng.normal(manager, new Shape(b, 4));
        NDArray points = rng.uniform(manager, new Shape(35, 5), 0.01, 1);
        double[][] y = rows(charges);
        double[][] q = rows(points);
        double[][] v = rows(PoissonField.normalized(points, charges, 1));
        for (int i = 0; i < q.length; i++) {
            double[] expected = BruteForceField.normalized(java.util.Arrays.copyOf(q[i], 4), q[i][4], y, 1);
            assertArrayEquals(expected, v[i], 1e-5);
        }
    }

    /** Without the extra dimension the field is sum_j (q - y_j) / ||q - y_j||^N in R^N itself. */
    @Test
    void unaugmentedDirectionIsTheNDimensionalCoulombField() {
        double[][] charges = {{1, 0}, {-1, 0.5}, {0.2, -2}};
        double[][] points = {{0.3, 0.4}, {-3, 1}};
        double[][] v = rows(PoissonField.directionWithoutAugmentation(Arrays2.matrix(manager, points),
                Arrays2.matrix(manager, charges)));
        for (int i = 0; i < points.length; i++) {
            double[] e = new double[2];
            for (double[] c : charges) {
                double[] d = {points[i][0] - c[0], points[i][1] - c[1]};
                double r2 = Arrays2.dot(d, d);
                e[0] += d[0] / r2;
                e[1] += d[1] / r2;
            }
            double norm = norm(e);
            assertArrayEquals(new double[] {-e[0] / norm, -e[1] / norm}, v[i], 1e-12);
        }
    }

    @Test
    void mismatchedShapesAreRejectedWithTheReason() {
        NDArray charges = manager.zeros(new Shape(3, 4));
        var e = assertThrows(IllegalArgumentException.class,
                () -> PoissonField.normalized(manager.zeros(new Shape(2, 4)), charges, 5));
        assertTrue(e.getMessage().contains("N+1"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> PoissonField.normalized(manager.zeros(new Shape(2, 5)), charges, -1));
    }
}
