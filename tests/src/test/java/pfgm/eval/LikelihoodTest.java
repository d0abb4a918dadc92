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
import pfgm.field.OracleField;
import pfgm.field.Prior;
import pfgm.ode.RK45;
import pfgm.sampling.PoissonFlow;
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
            PoissonFlow flow = new PoissonFlow(charge, zMin, zMax, 0, 5);
            NDArray x = new Rng(1).uniform(manager, new Shape(6, dim), -0.5f, 0.5f).toType(DataType.FLOAT64, false);
            Likelihood.Result result = Likelihood.logDensity(flow, x, new RK45(1e-6, 1e-6), new Rng(2));
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
}
