package pfgm.method.sde;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import pfgm.ManagedArrays;
import pfgm.util.Rng;

/**
 * The marginal x_t = a(t) x_0 + std(t) z the loss perturbs with must be the law of the forward
 * SDE dx = f dt + g dw whose reverse the samplers run: checked against the test's own formulas,
 * against the moment equations m' = c(t) m, v' = 2 c(t) v + g(t)^2 (f = c(t) x for all three)
 * integrated numerically, and against a Monte Carlo of the forward SDE.
 */
class SdeMarginalTest extends ManagedArrays {
    static final SdeConfig VE_CONFIG = SdeConfig.ve(0.01, 8);
    static final double[] TIMES = {1e-5, 1e-3, 0.05, 0.3, 0.7, 1};

    static Sde[] sdes() {
        return new Sde[] {new Vp(SdeConfig.cifar10()), new SubVp(SdeConfig.cifar10()), new Ve(VE_CONFIG)};
    }

    static Schedules schedule(Sde sde) {
        return switch (sde.name()) {
            case "vp" -> Schedules.vp();
            case "subvp" -> Schedules.subvp();
            default -> Schedules.ve(VE_CONFIG.sigmaMin(), VE_CONFIG.sigmaMax());
        };
    }

    @Test
    void marginalsMatchTheWrittenOutFormulas() {
        for (Sde sde : sdes()) {
            Schedules s = schedule(sde);
            for (double t : TIMES) {
                assertEquals(s.a(t), sde.meanCoefficient(t), 1e-12 * s.a(t), sde.name() + " a(" + t + ")");
                assertEquals(s.std(t), sde.std(t), 1e-6 * s.std(t), sde.name() + " std(" + t + ")");
                assertEquals(s.outputPerScore(t), 1 / sde.scoreScale(t), 1e-6 * s.std(t), sde.name() + " output scale");
                assertEquals(t, s.timeOfLabel(sde.label(t)), 1e-9, sde.name() + " label");
            }
            assertEquals(sde.name().equals("ve") ? 8 : 1, sde.priorStd(), 0, sde.name() + " prior");
        }
    }

    /** RK4 on the moment equations with 2,000 steps against the closed forms at t = 0.05, 0.1, ..., 1, to 1e-7 relative. */
    @Test
    void marginalsSolveTheMomentEquationsOfTheSde() {
        for (Sde sde : sdes()) {
            DoubleUnaryOperator c = t -> sde.drift(manager.ones(new Shape(1, 1), DataType.FLOAT64), t).getDouble(0, 0);
            DoubleUnaryOperator g2 = t -> sde.diffusion(t) * sde.diffusion(t);
            // The data carries no noise at t = 0, except VE's sigma_min, which its marginal assumes.
            double m = 1;
            double v = sde.name().equals("ve") ? VE_CONFIG.sigmaMin() * VE_CONFIG.sigmaMin() : 0;
            int steps = 2000;
            double h = 1.0 / steps;
            double worst = 0;
            double worstStd = 0;
            for (int i = 0; i <= steps; i++) {
                double t = i * h;
                if (i % 100 == 0 && i > 0) {
                    worst = Math.max(worst, Math.abs(m - sde.meanCoefficient(t)) / sde.meanCoefficient(t));
                    double std = Math.sqrt(v);
                    worstStd = Math.max(worstStd, Math.abs(std - sde.std(t)) / sde.std(t));
                    assertEquals(sde.std(t), std, 1e-7 * Math.max(std, 1e-3), sde.name() + " std at t = " + t);
                    assertEquals(sde.meanCoefficient(t), m, 1e-7 * m, sde.name() + " a at t = " + t);
                }
                if (i == steps) {
                    break;
                }
                double[] k1 = moments(c, g2, t, m, v);
                double[] k2 = moments(c, g2, t + h / 2, m + h / 2 * k1[0], v + h / 2 * k1[1]);
                double[] k3 = moments(c, g2, t + h / 2, m + h / 2 * k2[0], v + h / 2 * k2[1]);
                double[] k4 = moments(c, g2, t + h, m + h * k3[0], v + h * k3[1]);
                m += h / 6 * (k1[0] + 2 * k2[0] + 2 * k3[0] + k4[0]);
                v += h / 6 * (k1[1] + 2 * k2[1] + 2 * k3[1] + k4[1]);
            }
            System.out.printf("%s: moment equations vs closed forms, worst relative error of a %.2e, of std %.2e%n", sde.name(),
                    worst, worstStd);
        }
    }

    private static double[] moments(DoubleUnaryOperator c, DoubleUnaryOperator g2, double t, double m, double v) {
        double ct = c.applyAsDouble(t);
        return new double[] {ct * m, 2 * ct * v + g2.applyAsDouble(t)};
    }

    /**
     * 20,000 Euler-Maruyama paths of the forward SDE (1,000 steps, the library's drift and
     * diffusion on NDArrays) from x_0 = 1.5: the sample mean over x_0 and the sample standard
     * deviation at t = 0.25, 0.5 and 1 must match a(t) and std(t) within 5 standard errors plus
     * the scheme's O(dt) bias.
     */
    @Test
    void marginalsMatchAMonteCarloOfTheForwardSde() {
        int paths = 20_000;
        int steps = 1000;
        double x0 = 1.5;
        for (Sde sde : sdes()) {
            Rng rng = new Rng(7);
            double dt = 1.0 / steps;
            NDArray x = manager.full(new Shape(paths, 1), (float) x0, DataType.FLOAT64);
            if (sde.name().equals("ve")) {
                x = x.add(rng.normal(manager, new Shape(paths, 1)).toType(DataType.FLOAT64, false).mul(VE_CONFIG.sigmaMin()));
            }
            for (int i = 0; i < steps; i++) {
                double t = i * dt;
                NDArray noise = rng.normal(manager, new Shape(paths, 1)).toType(DataType.FLOAT64, false);
                NDArray next = x.add(sde.drift(x, t).mul(dt)).add(noise.mul(sde.diffusion(t) * Math.sqrt(dt)));
                x.close();
                noise.close();
                x = next;
                double end = (i + 1) * dt;
                if (i + 1 == steps / 4 || i + 1 == steps / 2 || i + 1 == steps) {
                    double[] values = x.toDoubleArray();
                    double mean = java.util.Arrays.stream(values).average().orElseThrow();
                    double sd = Math.sqrt(java.util.Arrays.stream(values).map(y -> (y - mean) * (y - mean)).sum() / (paths - 1));
                    double a = sde.meanCoefficient(end);
                    double std = sde.std(end);
                    double bias = 20 * dt * Math.max(std, a * x0);
                    System.out.printf("%s t = %.2f: mean / x0 %.5f vs a %.5f, sd %.5f vs std %.5f%n", sde.name(), end,
                            mean / x0, a, sd, std);
                    assertEquals(a * x0, mean, 5 * std / Math.sqrt(paths) + bias, sde.name() + " mean at " + end);
                    assertEquals(std, sd, 5 * std / Math.sqrt(2.0 * paths) + bias, sde.name() + " sd at " + end);
                }
            }
            x.close();
        }
    }

    /** The prior is N(0, priorStd^2 I): its samples' spread and its log density. */
    @Test
    void priorSamplesAndDensityAgree() {
        for (Sde sde : sdes()) {
            NDArray samples = sde.prior(manager, 20_000, 3, new Rng(3));
            double sd = Math.sqrt(samples.toType(DataType.FLOAT64, false).square().mean().getDouble());
            assertEquals(sde.priorStd(), sd, 0.02 * sde.priorStd(), sde.name());
            double[][] point = {{0.3, -1.0, 2.0}};
            double s2 = sde.priorStd() * sde.priorStd();
            double expected = -1.5 * Math.log(2 * Math.PI * s2) - (0.09 + 1 + 4) / (2 * s2);
            assertEquals(expected, sde.priorLogDensity(pfgm.Arrays2.matrix(manager, point)).getDouble(0), 1e-12, sde.name());
        }
    }
}
