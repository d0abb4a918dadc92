package pfgm.method.sde;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import pfgm.Arrays2;
import pfgm.ManagedArrays;
import pfgm.eval.Likelihood;
import pfgm.ode.RK45;
import pfgm.util.Rng;

/**
 * The log-likelihood through the probability-flow ODE (pfgm.eval.Likelihood with an SDE) of
 * Gaussian data N(mu, Sigma) in 4 dimensions, Sigma rotated so that its Jacobian is not diagonal
 * (a diagonal one would make Hutchinson's estimate exact): with the exact score the flow carries the
 * marginal at eps, N(a mu, a^2 Sigma + std^2 I), onto the marginal at T, so the estimate must be
 * that Gaussian's log density, up to the prior's mismatch with the marginal at T (bounded below) and
 * the estimator's noise: 512 Rademacher probes per point, averaged, within 4 standard errors. This
 * checks the prior density and the whole change of variables.
 */
class SdeLikelihoodTest extends ManagedArrays {
    static final double[] MU = {0.4, -0.3, 0.2, 0.1};

    /** N(MU, Q diag(0.5, 0.3, 0.8, 0.15) Q^T) with Q a fixed orthonormal matrix (a Householder reflection). */
    static ExactScore gaussian(Schedules schedule) {
        double[] v = {1, 2, -1, 0.5};
        double norm2 = Arrays2.dot(v, v);
        double[][] q = new double[4][4];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                q[i][j] = (i == j ? 1 : 0) - 2 * v[i] * v[j] / norm2;
            }
        }
        return new ExactScore(List.of(new ExactScore.Component(1, MU, q, new double[] {0.5, 0.3, 0.8, 0.15})), schedule);
    }

    static void check(Sde sde, Schedules schedule, double priorMismatch) {
        int points = 4;
        int probes = 512;
        ExactScore exact = gaussian(schedule);
        double[][] x = exact.sample(points, new Rng(41));
        double[][] repeated = new double[points * probes][];
        for (int i = 0; i < repeated.length; i++) {
            repeated[i] = x[i / probes];
        }
        Likelihood.Result result = Likelihood.logDensity(sde, exact.differentiable(),
                Arrays2.matrix(manager, repeated).toType(DataType.FLOAT64, false), new RK45(1e-6, 1e-6), new Rng(42));
        double eps = sde.config().sampleEps();
        for (int i = 0; i < points; i++) {
            double[] estimates = Arrays.copyOfRange(result.logDensity(), i * probes, (i + 1) * probes);
            double mean = Arrays.stream(estimates).average().orElseThrow();
            double se = Math.sqrt(Arrays.stream(estimates).map(v -> (v - mean) * (v - mean)).sum() / (probes - 1) / probes);
            double analytic = exact.logDensity(x[i], eps);
            double error = mean - analytic;
            System.out.printf("%s point %d: log p %.5f, analytic %.5f, error %+.5f nats (%+.5f bits/dim), standard error %.5f,"
                    + " NFE %d%n", sde.name(), i, mean, analytic, error, -error / (4 * Math.log(2)), se, result.nfe());
            assertTrue(Math.abs(error) < 4 * se + priorMismatch, sde.name() + " point " + i + ": error " + error + ", se " + se);
            assertTrue(se > 1e-4 && se < 0.03, "the probes vary, and their mean is tight: " + se);
        }
    }

    /**
     * At T = 1 the VP marginal is N(a mu, a^2 Sigma + std^2 I) with a = exp(-5.025) = 0.0066, not
     * quite the prior N(0, I): they differ by about a mu . x in log density, a few 1e-3 nats where
     * the flow ends (|x| up to about 3).
     */
    @Test
    void vpLikelihoodIsTheGaussiansDensity() {
        check(new Vp(SdeConfig.cifar10()), Schedules.vp(), 0.01);
    }

    @Test
    void subVpLikelihoodIsTheGaussiansDensity() {
        check(new SubVp(SdeConfig.cifar10()), Schedules.subvp(), 0.01);
    }

    /**
     * VE's marginal at T is N(mu, Sigma + 50^2 I) against the prior N(0, 50^2 I): they differ by
     * about mu . x / 50^2 in log density, 0.01 nats for a typical end point (|mu| = 0.55, x along mu ~ 50).
     */
    @Test
    void veLikelihoodIsTheGaussiansDensity() {
        check(new Ve(SdeConfig.ve(0.01, 50)), Schedules.ve(0.01, 50), 0.01);
    }
}
