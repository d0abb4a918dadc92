package pfgm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pfgm.ManagedArrays;
import pfgm.Stats;
import pfgm.cli.Pfgm;
import pfgm.method.Method;
import pfgm.nn.Network;
import pfgm.ode.Flow;
import pfgm.ode.Solution;
import pfgm.run.Run;
import pfgm.sampling.SamplingConfig;
import pfgm.train.Loss;
import pfgm.train.TrainConfig;
import pfgm.util.Rng;
import pfgm.util.Scalars;

/**
 * A method plugs in as one class, one registration and a preset: rectified flow (Liu et al. 2022;
 * flow matching with straight paths), which the kit does not ship, defined here only. The test
 * shows that the command line, runs, settings and samplers take it like a built-in method, and that
 * its sampler is right: with the exact velocity of Gaussian data it returns that Gaussian.
 */
class MethodTypeTest extends ManagedArrays {
    /**
     * x_t = (1 - t) x_0 + t z for t ~ U[eps, 1], z ~ N(0, I); the network learns the velocity z - x_0;
     * samples flow from N(0, I) at t = 1 down to t = eps along dx/dt = v(x, t).
     */
    static final class RectifiedFlow implements Method {
        static final String NAME = "rectified";
        static final double EPS = 1e-3;

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public Loss loss(TrainConfig train) {
            return new Loss() {
                @Override
                public int rows() {
                    return train.smallBatchSize();
                }

                @Override
                public Targets prepare(NDArray batch, Rng rng) {
                    int n = Math.toIntExact(batch.getShape().get(0));
                    float[] t = new float[n];
                    for (int i = 0; i < n; i++) {
                        t[i] = (float) (EPS + (1 - EPS) * rng.nextDouble());
                    }
                    NDArray time = batch.getManager().create(t, new Shape(n, 1));
                    NDArray z = rng.normal(batch.getManager(), batch.getShape());
                    NDArray xt = batch.mul(time.neg().add(1)).add(z.mul(time));
                    return new Targets(xt, time.reshape(n), new NDList(z.sub(batch)));
                }

                @Override
                public NDArray perRow(Network model, Targets targets) {
                    return model.apply(targets.inputs(), targets.labels()).sub(targets.extras().get(0)).square()
                            .mean(new int[] {1});
                }
            };
        }

        @Override
        public NDArray prior(NDManager manager, int n, int dim, Rng rng) {
            return rng.normal(manager, new Shape(n, dim));
        }

        @Override
        public NDArray priorLogDensity(NDArray x) {
            long dim = x.getShape().get(1);
            return x.toType(DataType.FLOAT64, false).square().sum(new int[] {1}).mul(-0.5).add(-0.5 * dim * Math.log(2 * Math.PI));
        }

        @Override
        public Flow flow(Network model, int dim) {
            return Flow.uniform((t, x) -> model.apply(x, x.getManager().full(new Shape(x.getShape().get(0)), (float) t)), 1, EPS);
        }
    }

    static final MethodType RECTIFIED = MethodType.register(new MethodType(RectifiedFlow.NAME, null, p -> new RectifiedFlow()));

    static {
        Preset vp = Presets.named("toy2d_vp");
        Presets.register(new Preset("toy2d_rectified", vp.data(), vp.imageSize(), vp.flip(), RECTIFIED, vp.network(), vp.train(),
                SamplingConfig.ode(pfgm.sampling.Solver.EULER, 50, 1e-4, 1e-4), vp.pfgm(), vp.sde(), vp.pfgmpp()));
    }

    @TempDir
    Path dir;

    /**
     * For data N(m, s^2 I) the marginal at t is N((1 - t) m, ((1 - t)^2 s^2 + t^2) I) and the exact
     * velocity E[z - x_0 | x_t] = (t - (1 - t) s^2) / sigma_t^2 (x_t - (1 - t) m) - m. The kit's Euler
     * sampler along it lands on N(m, s^2): each coordinate passes a KS test at a fixed seed; with a
     * velocity whose data mean is off by 0.2 s, it fails.
     */
    @Test
    void theSamplerFollowsTheExactVelocityToTheData() {
        double[] mean = {1.5, -0.5};
        double s = 0.4;
        double[] pRight = ksPValues(velocity(mean, s), mean, s);
        double[] pWrong = ksPValues(velocity(new double[] {mean[0] + 0.2 * s, mean[1]}, s), mean, s);
        System.out.printf("rectified flow, exact velocity: KS p %.3f, %.3f; mean off by 0.2 s: %.2e%n", pRight[0], pRight[1],
                pWrong[0]);
        assertTrue(pRight[0] > 0.01 && pRight[1] > 0.01, "exact velocity: p " + pRight[0] + ", " + pRight[1]);
        assertTrue(pWrong[0] < 1e-4, "a wrong velocity is caught: p " + pWrong[0]);
    }

    private static Network velocity(double[] m, double s) {
        return (x, label) -> {
            double t = label.toType(DataType.FLOAT64, false).getDouble(0);
            double a = 1 - t;
            double variance = a * a * s * s + t * t;
            NDArray centre = x.getManager().create(new double[] {a * m[0], a * m[1]}).toType(x.getDataType(), false);
            NDArray data = x.getManager().create(new double[] {m[0], m[1]}).toType(x.getDataType(), false);
            return Scalars.times(x.sub(centre), (t - a * s * s) / variance).sub(data);
        };
    }

    private static double[] ksPValues(Network velocity, double[] m, double s) {
        Solution solution = SamplingConfig.ode(pfgm.sampling.Solver.EULER, 400, 1e-4, 1e-4).sampler()
                .sample(new RectifiedFlow(), velocity, 2, manager, 2000, new Rng(17), false);
        double[][] rows = pfgm.Arrays2.rows(solution.y().toType(DataType.FLOAT64, false));
        double[] p = new double[2];
        for (int k = 0; k < 2; k++) {
            double[] column = new double[rows.length];
            for (int i = 0; i < rows.length; i++) {
                column[i] = rows[i][k];
            }
            NormalDistribution normal = new NormalDistribution(m[k], s);
            p[k] = Stats.ksPValue(column, normal::cumulativeProbability);
        }
        return p;
    }

    /** The command line trains and samples it, presets and --set name it, and its run's settings say so. */
    @Test
    void theCommandLineAndRunsTakeIt() throws Exception {
        Path workdir = dir.resolve("rectified");
        assertEquals(0, run("train", "--preset", "toy2d_rectified", "--workdir", workdir.toString(), "--steps", "30",
                "--set", "snapshotEvery=0"));
        assertTrue(Files.readString(workdir.resolve("preset.txt")).contains("method = rectified"));
        Path out = dir.resolve("x.npy");
        assertEquals(0, run("sample", "--workdir", workdir.toString(), "--n", "8", "--out", out.toString()));
        assertTrue(Files.size(out) > 0);
        try (Run toy = Run.open("toy2d", Map.of("train.steps", "3", "method", "rectified", "snapshotEvery", "0"),
                dir.resolve("toy"), Device.cpu())) {
            assertTrue(toy.method() instanceof RectifiedFlow);
            toy.trainer().train();
            Solution samples = toy.sample(4, toy.preset().sampling().withSampler("euler-7"), 0);
            assertEquals(7, samples.nfe());
            assertTrue(toy.directory().fingerprint().settings().keySet().stream().noneMatch(k -> k.startsWith("pfgm.")
                    || k.startsWith("sde.") || k.startsWith("pfgmpp.")), "a method without settings of its own reads none");
        }
        var unknown = assertThrows(IllegalArgumentException.class, () -> Settings.with(Presets.named("toy2d"), "method", "flows"));
        assertTrue(unknown.getMessage().contains("unknown method 'flows'") && unknown.getMessage().contains("rectified"),
                unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MethodType.register(new MethodType("vp", null, p -> null)));
    }

    private static int run(String... args) {
        StringWriter err = new StringWriter();
        int code = Pfgm.commandLine().setErr(new PrintWriter(err)).execute(args);
        assertTrue(code == 0, String.join(" ", args) + ": " + err);
        return code;
    }
}
