package pfgm.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.apache.commons.math3.special.Gamma;
import org.junit.jupiter.api.Test;
import pfgm.Arrays2;
import pfgm.Stats;
import pfgm.method.pfgm.OracleField;
import pfgm.method.pfgm.Pfgm;
import pfgm.method.pfgm.PfgmConfig;
import pfgm.method.pfgm.Prior;
import pfgm.ode.RK45;
import pfgm.util.Rng;

class LikelihoodTest {

    /**
     * One charge at the origin: field lines are straight rays, the flow maps the Poisson kernel at
     * height z_min onto the one at z_max, so the likelihood at z_min must be the Poisson kernel
     * c z_min / (|x|^2 + z_min^2)^((N+1)/2) exactly. This runs the whole pipeline: forward ODE,
     * vector-Jacobian products, the prior density.
     */
    @Test
    void aPointChargeGivesThePoissonKernelAtZMin() {
        int dim = 4;
        double zMin = 0.05;
        double zMax = 50;
        try (NDManager manager = NDManager.newBaseManager()) {
            OracleField charge = new OracleField(manager.zeros(new Shape(1, dim)), 5);
            Pfgm pfgm = pfgm(zMin, zMax);
            NDArray x = new Rng(1).uniform(manager, new Shape(6, dim), -0.5f, 0.5f).toType(DataType.FLOAT64, false);
            Likelihood.Result result = Likelihood.logDensity(pfgm, charge, x, new RK45(1e-6, 1e-6), new Rng(2));
            double[][] rows = Arrays2.rows(x);
            for (int i = 0; i < rows.length; i++) {
                double r2 = Arrays2.dot(rows[i], rows[i]);
                double expected = Gamma.logGamma((dim + 1) / 2.0) - (dim + 1) / 2.0 * Math.log(Math.PI)
                        + Math.log(zMin) - (dim + 1) / 2.0 * Math.log(r2 + zMin * zMin);
                assertEquals(expected, result.logDensity()[i], 2e-3, "sample " + i);
            }
            assertTrue(result.nfe() > 0);
        }
    }

    /**
     * Three charges: the flow carries the flux density through one plane to the next, so the
     * likelihood at z_min is the mixture of the charges' Poisson kernels there, computed here
     * directly. Hutchinson's estimator is unbiased but noisy here (about 1 nat per probe): each point
     * is repeated 256 times, one Rademacher vector each, and the mean must lie within 4 standard
     * errors of the exact value. Prints the errors in bits/dim.
     */
    @Test
    void threeChargesGiveTheirPoissonKernelMixture() {
        int dim = 4;
        double zMin = 0.3;
        double zMax = 5000; // the prior is one charge's kernel: its error shrinks like spread / z_max
        int points = 4;
        int repeats = 256;
        double[][] charges = {{0.8, 0, 0, 0}, {-0.5, 0.6, 0, 0.2}, {0, -0.7, 0.4, -0.3}};
        try (NDManager manager = NDManager.newBaseManager()) {
            OracleField oracle = new OracleField(Arrays2.matrix(manager, charges), 5);
            double[][] x = Arrays2.rows(new Rng(4).uniform(manager, new Shape(points, dim), -1f, 1f).toType(DataType.FLOAT64, false));
            double[][] repeated = new double[points * repeats][];
            for (int i = 0; i < repeated.length; i++) {
                repeated[i] = x[i / repeats];
            }
            double[] logp = Likelihood.logDensity(pfgm(zMin, zMax), oracle, Arrays2.matrix(manager, repeated),
                    new RK45(1e-6, 1e-6), new Rng(5))
                    .logDensity();
            double worstBitsPerDim = 0;
            for (int i = 0; i < points; i++) {
                double estimate = java.util.Arrays.stream(logp, i * repeats, (i + 1) * repeats).average().orElseThrow();
                double mixture = 0;
                for (double[] c : charges) {
                    double r2 = 0;
                    for (int k = 0; k < dim; k++) {
                        r2 += (x[i][k] - c[k]) * (x[i][k] - c[k]);
                    }
                    mixture += Math.exp(Gamma.logGamma((dim + 1) / 2.0) - (dim + 1) / 2.0 * Math.log(Math.PI)
                            + Math.log(zMin) - (dim + 1) / 2.0 * Math.log(r2 + zMin * zMin)) / charges.length;
                }
                double error = Math.abs(estimate - Math.log(mixture));
                double standardError = Math.sqrt(java.util.Arrays.stream(logp, i * repeats, (i + 1) * repeats)
                        .map(v -> (v - estimate) * (v - estimate)).sum() / (repeats - 1) / repeats);
                System.out.printf("point %d: log p %.4f, exact %.4f, error %.4f nats = %.4f bits/dim (standard error %.4f nats)%n",
                        i, estimate, Math.log(mixture), error, error / (dim * Math.log(2)), standardError);
                worstBitsPerDim = Math.max(worstBitsPerDim, error / (dim * Math.log(2)));
                assertTrue(error < 4 * standardError, "point " + i + ": error " + error + " vs standard error " + standardError);
                assertTrue(standardError < 0.1, "averaging tamed the estimator: " + standardError);
            }
            System.out.printf("three charges, N = 4: largest error %.2e bits/dim%n", worstBitsPerDim);
        }
    }

    /** The prior's density integrates to one (N = 1, and N = 2 through its radial form). */
    @Test
    void priorDensityIsNormalized() {
        try (NDManager manager = NDManager.newBaseManager()) {
            double z = 3;
            double[] grid = Stats.linspace(-3000, 3000, 600_001);
            double[][] points = new double[grid.length][];
            for (int i = 0; i < grid.length; i++) {
                points[i] = new double[] {grid[i]};
            }
            double[] logp = new Prior(1, z, 1e9).logDensity(Arrays2.matrix(manager, points)).toDoubleArray();
            double mass = 0;
            for (int i = 1; i < grid.length; i++) {
                mass += (Math.exp(logp[i]) + Math.exp(logp[i - 1])) / 2 * (grid[i] - grid[i - 1]);
            }
            assertEquals(1 - 2 * z / (Math.PI * 3000), mass, 1e-4); // the Cauchy tail beyond 3000
            double[][] onAxis = {{2.0, 0.0}};
            double p2 = Math.exp(new Prior(2, z, 1e9).logDensity(Arrays2.matrix(manager, onAxis)).getDouble(0));
            assertEquals(z / (2 * Math.PI * Math.pow(4 + z * z, 1.5)), p2, 1e-12);
        }
    }

    @Test
    void bitsPerDimAndDequantization() {
        // A uniform density on [-1, 1]^N (log p = -N log 2) is 8 bits per dimension of 8-bit data.
        assertEquals(8, Likelihood.bitsPerDim(-3072 * Math.log(2), 3072), 1e-12);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray levels = manager.create(new float[] {-1, 1, 0.00392157f});
            double[] d = Likelihood.dequantize(levels, new Rng(3)).toType(ai.djl.ndarray.types.DataType.FLOAT64, false)
                    .toDoubleArray();
            assertTrue(d[0] >= -1 && d[0] <= -1 + 2.0 / 256, "level 0 stays in its bin: " + d[0]);
            assertTrue(d[1] >= 1 - 2.0 / 256 && d[1] <= 1, "level 255 stays in its bin: " + d[1]);
        }
    }

    /** PFGM with the flow from z_min to z_max and no v_z substitution (z_exp = 0). */
    static Pfgm pfgm(double zMin, double zMax) {
        return new Pfgm(new PfgmConfig(0.01, 0.03, 100, true, 5, zMin, zMax, 3000, 0));
    }
}
