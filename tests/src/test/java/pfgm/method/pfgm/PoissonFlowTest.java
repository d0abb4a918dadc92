package pfgm.method.pfgm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.apache.commons.math3.stat.inference.ChiSquareTest;
import org.junit.jupiter.api.Test;
import pfgm.Arrays2;
import pfgm.ManagedArrays;
import pfgm.Stats;
import pfgm.ode.RK45;
import pfgm.ode.Solution;
import pfgm.util.Rng;

class PoissonFlowTest extends ManagedArrays {

    /**
     * Theorem 1: charges flowing up their own field end uniform on a large hemisphere, so for 2-D
     * data z / r ~ U[0, 1]. Every field line carries the same flux, so the lines start at height
     * delta around each charge with offsets drawn from the charge's flux density through that plane,
     * the 2-D Poisson kernel: R = delta sqrt(1 / (1 - u)^2 - 1).
     */
    @Test
    void forwardFlowEndsUniformOnTheHemisphere() {
        Rng rng = new Rng(21);
        int charges = 200;
        int perCharge = 2;
        double delta = 1e-4;
        double[][] data = new double[charges][];
        for (int j = 0; j < charges; j++) { // two Gaussian blobs
            double cx = j % 2 == 0 ? -1 : 1;
            data[j] = new double[] {cx + 0.3 * rng.nextGaussian(), 0.5 * rng.nextGaussian()};
        }
        double[][] starts = new double[charges * perCharge][];
        for (int i = 0; i < starts.length; i++) {
            double u = rng.nextDouble();
            double r = delta * Math.sqrt(1 / ((1 - u) * (1 - u)) - 1);
            double angle = 2 * Math.PI * rng.nextDouble();
            double[] c = data[i / perCharge];
            starts[i] = new double[] {c[0] + r * Math.cos(angle), c[1] + r * Math.sin(angle)};
        }
        NDArray charges32 = Arrays2.matrix(manager, data).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
        double zTop = 1e4;
        PoissonFlow flow = new PoissonFlow(new OracleField(charges32, 5), delta, zTop, 0, 5);
        Solution s = flow.encode(Arrays2.matrix(manager, starts), new RK45(1e-5, 1e-7), false);
        double[][] ends = Arrays2.rows(s.y());
        double[] cosines = new double[ends.length];
        for (int i = 0; i < ends.length; i++) {
            cosines[i] = zTop / Math.sqrt(ends[i][0] * ends[i][0] + ends[i][1] * ends[i][1] + zTop * zTop);
        }
        double p = Stats.ksPValue(cosines, c -> Math.min(1, Math.max(0, c)));
        assertTrue(p > 0.01, "KS p-value of z/r against U[0,1]: " + p + " (NFE " + s.nfe() + ")");
    }

    /**
     * Backward flow with the oracle field from the prior lands on the data points, in proportion
     * to their multiplicity (point 0 appears twice).
     */
    @Test
    void backwardFlowWithTheOracleLandsOnTheDataInProportion() {
        double[][] points = {{1, 1}, {1, 1}, {-1, 1}, {-1, -1}, {1.2, -0.8}};
        NDArray data = Arrays2.matrix(manager, points).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
        int n = 1000;
        Prior prior = new Prior(2, 40, 1e4);
        PoissonFlow flow = new PoissonFlow(new OracleField(data, 5), 1e-6, prior.zMax(), 0, 5);
        Solution s = flow.sample(prior.sample(manager, n, new Rng(5)), new RK45(1e-4, 1e-4), false);
        double[][] samples = Arrays2.rows(s.y());
        long[] counts = new long[4];
        double worst = 0;
        for (double[] x : samples) {
            double best = Double.POSITIVE_INFINITY;
            int nearest = -1;
            for (int j = 1; j < points.length; j++) {
                double d = Math.hypot(x[0] - points[j][0], x[1] - points[j][1]);
                if (d < best) {
                    best = d;
                    nearest = j - 1;
                }
            }
            counts[nearest]++;
            worst = Math.max(worst, best);
        }
        assertTrue(worst < 0.05, "farthest sample is " + worst + " from the data");
        double[] expected = {0.4 * n, 0.2 * n, 0.2 * n, 0.2 * n};
        double p = new ChiSquareTest().chiSquareTest(expected, counts);
        assertTrue(p > 0.001, "chi-square p-value " + p + " for counts " + java.util.Arrays.toString(counts));
    }

    @Test
    void badFlowSettingsAreRejected() {
        OracleField oracle = new OracleField(manager.zeros(new Shape(3, 2)), 5);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new PoissonFlow(oracle, 1, 0.5, 5, 5));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new PoissonFlow(oracle, 1e-3, 40, -1, 5));
    }

    /**
     * Euler and Heun take the official samplers' steps (ForwardEulerPredictor and
     * ImprovedEulerPredictor of the PFGM code): on the heights z_i uniform in log z they update
     * x += (z_{i+1} - z_i) v_x / v_z, Heun averaging the slopes at both ends; written out here with
     * the oracle field's values, in double precision.
     */
    @Test
    void fixedStepsGoInZOnAGridUniformInLogZ() {
        double[][] data = {{1, 0}, {-0.5, 0.8}, {0.2, -1.1}};
        OracleField oracle = new OracleField(Arrays2.matrix(manager, data), 5);
        double zMin = 1e-2;
        double zMax = 20;
        int steps = 6;
        PoissonFlow flow = new PoissonFlow(oracle, zMin, zMax, 0, 5);
        NDArray start = Arrays2.matrix(manager, new double[][] {{3, 4}, {-6, 1}, {0.5, -8}});
        for (boolean heun : new boolean[] {false, true}) {
            double[][] x = Arrays2.rows(start);
            for (int i = 0; i < steps; i++) {
                double z = Math.exp(Math.log(zMax) + i * (Math.log(zMin) - Math.log(zMax)) / steps);
                double next = Math.exp(Math.log(zMax) + (i + 1) * (Math.log(zMin) - Math.log(zMax)) / steps);
                double[][] slope = slopes(oracle, x, z);
                for (int r = 0; r < x.length; r++) {
                    double[] predicted = {x[r][0] + (next - z) * slope[r][0], x[r][1] + (next - z) * slope[r][1]};
                    if (heun) {
                        double[] end = slopes(oracle, new double[][] {predicted}, next)[0];
                        predicted = new double[] {x[r][0] + (next - z) * (slope[r][0] + end[0]) / 2,
                            x[r][1] + (next - z) * (slope[r][1] + end[1]) / 2};
                    }
                    x[r] = predicted;
                }
            }
            var solver = heun ? new pfgm.ode.FixedStepSolver.Heun(steps) : new pfgm.ode.FixedStepSolver.Euler(steps);
            double[][] got = Arrays2.rows(flow.sample(start, solver, false).y());
            for (int r = 0; r < x.length; r++) {
                for (int c = 0; c < 2; c++) {
                    org.junit.jupiter.api.Assertions.assertEquals(x[r][c], got[r][c], 1e-6 * Math.max(1, Math.abs(x[r][c])), // the flow hands z to the field as a float
                            (heun ? "Heun" : "Euler") + " sample " + r);
                }
            }
        }
    }

    /** v_x / v_z of the oracle field at rows x and height z (z_exp off, so no substitution). */
    private static double[][] slopes(OracleField oracle, double[][] x, double z) {
        double[] heights = new double[x.length];
        java.util.Arrays.fill(heights, z);
        double[][] v = Arrays2.rows(oracle.apply(Arrays2.matrix(manager, x), manager.create(heights)));
        double[][] out = new double[x.length][];
        for (int r = 0; r < x.length; r++) {
            double vz = Math.min(v[r][2], -1e-5);
            out[r] = new double[] {v[r][0] / vz, v[r][1] / vz};
        }
        return out;
    }
}
