package pfgm.method.pfgm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pfgm.data.Toy2D;
import pfgm.nn.Network;
import pfgm.util.Matrices;
import pfgm.util.Rng;

class PointChargePreconditioningTest {
    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** Returns (x it was given, 0): shows what the network sees, and adds nothing to v_z. */
    static final Network ECHO = (x, z) -> NDArrays.concat(new NDList(x, x.getManager().zeros(new Shape(x.getShape().get(0), 1),
            x.getDataType())), 1);

    private double[][] forward(PointChargePreconditioning model, double[][] x, double[] z) {
        NDArray xs = manager.create(flat(x), new Shape(x.length, 2));
        float[] zf = new float[z.length];
        for (int i = 0; i < z.length; i++) {
            zf[i] = (float) z[i];
        }
        NDArray zs = manager.create(zf);
        return Matrices.rows(model.apply(xs, zs));
    }

    private static float[] flat(double[][] x) {
        float[] out = new float[x.length * 2];
        for (int i = 0; i < x.length; i++) {
            out[2 * i] = (float) x[i][0];
            out[2 * i + 1] = (float) x[i][1];
        }
        return out;
    }

    /**

    /**
     * The output is the empirical normalized field of one charge at the origin (PoissonField, an
     * independent computation) plus what the inner network returns for x / sqrt(1 + rho^2 / s^2).
     */
    @Test
    void outputIsOneChargesFieldPlusTheInnerNetworkOnSqueezedX() {
        double gamma = 0.3;
        double scale = 6;
        PointChargePreconditioning block = new PointChargePreconditioning(ECHO, scale, gamma);
        double[][] x = {{0.1, -0.2}, {2.8, 0.3}, {-40, 25}, {300, 1}};
        double[] z = {0.01, 0.3, 5, 17};
        double[][] v = forward(block, x, z);
        float[] points = new float[x.length * 3];
        for (int i = 0; i < x.length; i++) {
            points[3 * i] = (float) x[i][0];
            points[3 * i + 1] = (float) x[i][1];
            points[3 * i + 2] = (float) z[i];
        }
        double[][] single = Matrices.rows(PoissonField.normalized(manager.create(points, new Shape(x.length, 3)),
                manager.zeros(new Shape(1, 2)), gamma));
        for (int i = 0; i < x.length; i++) {
            double rho2 = x[i][0] * x[i][0] + x[i][1] * x[i][1] + z[i] * z[i];
            double squeeze = 1 / Math.sqrt(1 + rho2 / (scale * scale));
            assertTrue(Math.hypot(x[i][0] * squeeze, x[i][1] * squeeze) < scale);
            for (int k = 0; k < 2; k++) {
                assertEquals(single[i][k] + x[i][k] * squeeze, v[i][k], 1e-4 * (1 + Math.abs(x[i][k])), "point " + i);
            }
            assertEquals(single[i][2], v[i][2], 1e-5, "point " + i);
        }
    }

    /**
     * Why a single charge is the right baseline: far from eight Gaussians their exact empirical
     * field (4,096 charges) points as one charge's at the origin does, to within a few thousandths.
     */
    @Test
    void farFromTheDataTheFieldIsOneCharges() {
        NDArray charges = Toy2D.EIGHT_GAUSSIANS.sample(manager, 4096, new Rng(1));
        float[] points = {60, 10, 17, -35, 80, 5, 0, -100, 17};
        NDArray q = manager.create(points, new Shape(3, 3));
        double[][] exact = Matrices.rows(PoissonField.normalized(q, charges, 0.3));
        double[][] single = Matrices.rows(PoissonField.normalized(q, manager.zeros(new Shape(1, 2)), 0.3));
        for (int i = 0; i < 3; i++) {
            double dot = 0;
            double a = 0;
            double b = 0;
            for (int k = 0; k < 3; k++) {
                dot += exact[i][k] * single[i][k];
                a += exact[i][k] * exact[i][k];
                b += single[i][k] * single[i][k];
            }
            assertTrue(dot / Math.sqrt(a * b) > 0.999, "cosine " + dot / Math.sqrt(a * b) + " at point " + i);
            assertEquals(Math.sqrt(b), Math.sqrt(a), 0.01);
        }
    }

    /** The likelihood differentiates the field with respect to x: the gradient matches finite differences. */
    @Test
    void gradientsReachXAndMatchFiniteDifferences() {
        PointChargePreconditioning block = new PointChargePreconditioning(ECHO, 6, 0.3);
        double[] x0 = {1.5, -2.5};
        double z0 = 0.7;
        NDArray x = manager.create(x0, new Shape(1, 2));
        x.setRequiresGradient(true);
        NDArray z = manager.create(new double[] {z0});
        double[] analytic;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray v = block.apply(x, z);
            collector.backward(v.sum());
            analytic = x.getGradient().toDoubleArray();
        }
        pfgm.util.GradMode.off();
        double h = 1e-6;
        for (int k = 0; k < 2; k++) {
            double[] plus = x0.clone();
            double[] minus = x0.clone();
            plus[k] += h;
            minus[k] -= h;
            double numeric = (sum(block, plus, z0) - sum(block, minus, z0)) / (2 * h);
            assertEquals(numeric, analytic[k], 1e-6 * (1 + Math.abs(numeric)), "d/dx" + k);
        }
        assertTrue(Math.abs(analytic[0]) > 1e-3);
    }

    private double sum(PointChargePreconditioning block, double[] x, double z) {
        NDArray v = block.apply(manager.create(x, new Shape(1, 2)), manager.create(new double[] {z}));
        return v.sum().getDouble();
    }
}
