package pfgm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Adam and the EMA against the formulas written out in doubles. */
class OptimizerTest {

    /** A parameter w with loss sum(c * w^2 / 2), so the gradient is c * w. */
    @Test
    void adamFollowsTorchsUpdateRule() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Parameter p = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
            p.setArray(manager.create(new float[] {1.0f, -2.0f}));
            p.getArray().setRequiresGradient(true);
            List<Pair<String, Parameter>> params = List.of(new Pair<>("w", p));
            double[] c = {3, 0.5};
            double[] w = {1, -2};
            double[] m = new double[2];
            double[] v = new double[2];
            Adam adam = new Adam(0.9, 1e-8);
            for (int t = 1; t <= 5; t++) {
                try (GradientCollector g = Engine.getInstance().newGradientCollector()) {
                    NDArray loss = p.getArray().square().mul(manager.create(new float[] {3f, 0.5f})).sum().mul(0.5);
                    g.backward(loss);
                }
                adam.step(params, 0.01, manager);
                pfgm.util.Weights.zeroGradients(params);
                for (int i = 0; i < 2; i++) {
                    double gi = c[i] * w[i];
                    m[i] = 0.9 * m[i] + 0.1 * gi;
                    v[i] = 0.999 * v[i] + 0.001 * gi * gi;
                    double mHat = m[i] / (1 - Math.pow(0.9, t));
                    double vHat = v[i] / (1 - Math.pow(0.999, t));
                    w[i] -= 0.01 * mHat / (Math.sqrt(vHat) + 1e-8);
                }
            }
            float[] got = p.getArray().toFloatArray();
            assertEquals(w[0], got[0], 1e-6);
            assertEquals(w[1], got[1], 1e-6);
        }
    }

    @Test
    void emaWarmsUpItsDecay() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Parameter p = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
            p.setArray(manager.create(new float[] {0f}));
            List<Pair<String, Parameter>> params = List.of(new Pair<>("w", p));
            Ema ema = new Ema(0.999, params);
            double shadow = 0;
            for (int n = 1; n <= 20; n++) {
                p.getArray().set(new float[] {n});
                ema.update(params);
                double d = Math.min(0.999, (1.0 + n) / (10.0 + n));
                shadow = d * shadow + (1 - d) * n;
            }
            assertEquals(shadow, ema.weights().get("w").getFloat(0), 1e-4);
        }
    }
}
