package pfgm.method.sde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pfgm.Arrays2;
import pfgm.ManagedArrays;
import pfgm.eval.SlicedWasserstein;
import pfgm.nn.Network;
import pfgm.ode.RK45;
import pfgm.ode.Solution;
import pfgm.sampling.PredictorCorrectorConfig;
import pfgm.sampling.SamplingConfig;
import pfgm.sampling.Solver;
import pfgm.util.Rng;

/**
 * The samplers driven by the exact score of a 2-D Gaussian mixture (three unequal components, one
 * rotated; {@link ExactScore}) must land on the mixture, for VP, sub-VP and VE: the
 * probability-flow ODE with RK45 and with Euler, and the predictor-corrector sampler with each
 * predictor and corrector. Two measures of n samples against the data: the sliced Wasserstein
 * distance to one fixed set of n fresh draws, which must lie within the spread of the same
 * distance for ten other fresh sets (the data's own sampling noise: their mean + 4 standard
 * deviations); and the samples' mean log density under the mixture, whose expectation is the
 * data's (its negative entropy) only when they follow the data (4 standard errors): it catches
 * a sampler that shrinks or widens the components, which the distance sees poorly.
 */
class SdeSamplingTest extends ManagedArrays {
    static final int N = 3000;
    static final double SIGMA_MAX = 8;
    static ExactScore data;
    static double[][] fresh;
    static double noiseMean;
    static double noiseSd;
    static double entropyMean;
    static double entropySd;

    @BeforeAll
    static void dataNoise() {
        data = ExactScore.threeBlobs(Schedules.vp());
        fresh = data.sample(N, new Rng(21));
        double[] distances = new double[10];
        for (int k = 0; k < distances.length; k++) {
            distances[k] = swd(data.sample(N, new Rng(100 + k)));
        }
        noiseMean = Arrays.stream(distances).average().orElseThrow();
        noiseSd = Math.sqrt(Arrays.stream(distances).map(d -> (d - noiseMean) * (d - noiseMean)).sum() / (distances.length - 1));
        double[] logp = logDensities(data.sample(100_000, new Rng(30)));
        entropyMean = Arrays.stream(logp).average().orElseThrow();
        entropySd = Math.sqrt(Arrays.stream(logp).map(v -> (v - entropyMean) * (v - entropyMean)).sum() / (logp.length - 1));
        System.out.printf("data against data: SWD %.4f +- %.4f (10 fresh sets of %d); mean log density %.4f, sd %.4f%n",
                noiseMean, noiseSd, N, entropyMean, entropySd);
    }

    static double swd(double[][] samples) {
        return SlicedWasserstein.distance(samples, fresh, 200, new Rng(23));
    }

    static double[] logDensities(double[][] points) {
        return Arrays.stream(points).mapToDouble(p -> data.logDensity(p, 0)).toArray();
    }

    static Sde sde(String name) {
        return switch (name) {
            case "vp" -> new Vp(SdeConfig.cifar10());
            case "subvp" -> new SubVp(SdeConfig.cifar10());
            default -> new Ve(SdeConfig.ve(0.01, SIGMA_MAX));
        };
    }

    static Schedules schedule(String name) {
        return switch (name) {
            case "vp" -> Schedules.vp();
            case "subvp" -> Schedules.subvp();
            default -> Schedules.ve(0.01, SIGMA_MAX);
        };
    }

    /** (SWD, mean log density in standard errors from the data's, NFE) of N samples. */
    static double[] measure(String name, SamplingConfig sampling, Network network) {
        Solution s = sampling.sampler().sample(sde(name), network, 2, manager, N, new Rng(5), false, f -> {});
        double[][] samples = Arrays2.rows(s.y());
        s.y().close();
        double meanLogp = Arrays.stream(logDensities(samples)).average().orElseThrow();
        return new double[] {swd(samples), (meanLogp - entropyMean) / (entropySd / Math.sqrt(N)), s.nfe()};
    }

    static void landsOnTheData(String name, SamplingConfig sampling, int expectedNfe) {
        double[] m = measure(name, sampling, ExactScore.threeBlobs(schedule(name)));
        System.out.printf("%-6s %-40s SWD %.4f (data: %.4f +- %.4f), mean log density %+.2f standard errors off, NFE %d%n",
                name, describe(sampling), m[0], noiseMean, noiseSd, m[1], (int) m[2]);
        String what = name + " " + describe(sampling);
        assertTrue(m[0] < noiseMean + 4 * noiseSd, what + ": SWD " + m[0]);
        assertTrue(Math.abs(m[1]) < 4, what + ": mean log density " + m[1] + " standard errors off");
        assertEquals(expectedNfe, (int) m[2], what + " NFE");
    }

    static String describe(SamplingConfig s) {
        return s.solver() == Solver.PC ? "pc-" + s.steps() + " " + s.pc().predictor() + "+" + s.pc().corrector() : s.label();
    }

    static final SamplingConfig RK45 = SamplingConfig.ode(Solver.RK45, 1, 1e-5, 1e-5);

    /** RK45's evaluations, the last being the noise-removal step, pinned: a change in the step control shows here. */
    @Test
    void probabilityFlowOdeWithRk45() {
        landsOnTheData("vp", RK45, 93);
        landsOnTheData("subvp", RK45, 99);
        landsOnTheData("ve", RK45, 87);
    }

    @Test
    void probabilityFlowOdeWithEuler() {
        for (String name : new String[] {"vp", "subvp", "ve"}) {
            landsOnTheData(name, SamplingConfig.ode(Solver.EULER, 200, 1e-5, 1e-5), 200);
        }
    }

    /**
     * 500 steps, for each SDE the official configs' two combinations (VP and sub-VP:
     * euler_maruyama alone; VE: reverse_diffusion with Langevin), so both predictors and both
     * correctors run on each; with Langevin each step evaluates the score twice.
     */
    @Test
    void predictorCorrector() {
        for (String name : new String[] {"vp", "subvp", "ve"}) {
            landsOnTheData(name, SamplingConfig.predictorCorrector(PredictorCorrectorConfig.Predictor.EULER_MARUYAMA, PredictorCorrectorConfig.Corrector.NONE, 0.16, 500), 500);
            landsOnTheData(name, SamplingConfig.predictorCorrector(PredictorCorrectorConfig.Predictor.REVERSE_DIFFUSION, PredictorCorrectorConfig.Corrector.LANGEVIN, 0.16, 500), 1000);
        }
    }

    /**
     * After RK45 comes score-SDE's noise removal: one reverse-diffusion step at sampleEps with
     * num_scales = 1000, x - f + G^2 score, written out here in float64 from sde_lib.py's
     * discretizations (VP: DDPM's beta_0 = beta_min / 1000; sub-VP: Euler-Maruyama with dt = 1/1000;
     * VE: SMLD's first step, G = sigma_min). For VE that is Tweedie's posterior mean E[x_0 | x_eps]
     * up to sigma(eps) = 1.00007 sigma_min; the step costs one more evaluation.
     */
    @Test
    void rk45EndsWithScoreSdesNoiseRemoval() {
        for (String name : new String[] {"vp", "subvp", "ve"}) {
            ExactScore exact = ExactScore.threeBlobs(schedule(name));
            Sde sde = sde(name);
            double eps = sde.config().sampleEps();
            double keep;
            double g2;
            switch (name) {
                case "vp" -> {
                    double b = 0.1 / 1000;
                    keep = 2 - Math.sqrt(1 - b);
                    g2 = b;
                }
                case "subvp" -> {
                    double beta = 0.1 + eps * (20 - 0.1);
                    double integral = 0.1 * eps + 0.5 * eps * eps * (20 - 0.1);
                    keep = 1 + 0.5 * beta / 1000;
                    g2 = beta * (1 - Math.exp(-2 * integral)) / 1000;
                }
                default -> {
                    keep = 1;
                    g2 = 0.01 * 0.01;
                }
            }
            Solution s = RK45.sampler().sample(sde, exact, 2, manager, 200, new Rng(7), true, f -> {});
            double[][] before = Arrays2.rows(s.path().get(s.path().size() - 1));
            double[][] after = Arrays2.rows(s.y());
            double largestMove = 0;
            for (int i = 0; i < before.length; i++) {
                double[] score = exact.score(before[i], eps);
                for (int k = 0; k < 2; k++) {
                    double expected = keep * before[i][k] + g2 * score[k];
                    assertEquals(expected, after[i][k], 2e-6 * (1 + Math.abs(expected)), name + " sample " + i);
                    largestMove = Math.max(largestMove, Math.abs(after[i][k] - before[i][k]));
                }
            }
            System.out.printf("%-6s noise removal moves samples by up to %.2e%n", name, largestMove);
            assertTrue(largestMove > 1e-5, name + ": the step did nothing");
            Solution plain = SamplingConfig.ode(Solver.EULER, 20, 1e-5, 1e-5).sampler().sample(sde, exact, 2, manager, 5, new Rng(7), false, f -> {});
            assertEquals(20, plain.nfe(), "fixed steps get no extra step");
        }
    }

    /** Scores 20% too small or too large send RK45 elsewhere: the measures above tell. */
    @Test
    void aWrongScoreMissesTheData() {
        for (String name : new String[] {"vp", "subvp", "ve"}) {
            ExactScore exact = ExactScore.threeBlobs(schedule(name));
            for (double scale : new double[] {0.8, 1.2}) {
                double[] m = measure(name, RK45, (x, label) -> exact.apply(x, label).mul(scale));
                System.out.printf("%-6s score x %.1f: SWD %.4f, mean log density %+.1f standard errors off%n", name, scale, m[0],
                        m[1]);
                assertTrue(m[0] > noiseMean + 4 * noiseSd || Math.abs(m[1]) > 4, name + " x " + scale);
            }
        }
    }
}
