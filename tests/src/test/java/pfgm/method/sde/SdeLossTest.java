package pfgm.method.sde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import org.junit.jupiter.api.Test;
import pfgm.Arrays2;
import pfgm.ManagedArrays;
import pfgm.nn.Network;
import pfgm.train.Losses;
import pfgm.util.Rng;

/**
 * Denoising score matching with the exact score reaches its floor. For data N(mu, s^2 I) the
 * marginal at t is N(a mu, (a^2 s^2 + std^2) I) and the residual std * score + z has, per
 * dimension, mean square a^2 s^2 / (a^2 s^2 + std^2) (the part of z the noisy point cannot
 * reveal). The loss's expectation is that averaged over t ~ U[eps, 1] (Simpson's rule here), times
 * 1 with reduceMean or N / 2 without. The library's loss with a network returning the exact score
 * (the test's own {@link ExactScore}) must match it within 4 standard errors of 160 batches of
 * 4,096; a score 20% too large must not, nor (VP, sub-VP) the exact score of the other SDE.
 */
class SdeLossTest extends ManagedArrays {
    static final double[] MU = {0.5, -1.0, 0.0, 2.0};
    static final double S = 0.7;

    static ExactScore gaussian(Schedules schedule) {
        double[][] identity = {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}};
        return new ExactScore(List.of(new ExactScore.Component(1, MU, identity, new double[] {S * S, S * S, S * S, S * S})),
                schedule);
    }

    /** E_t[a^2 s^2 / (a^2 s^2 + std^2)], t ~ U[eps, 1], by Simpson's rule on 200,000 intervals. */
    static double floorPerDimension(Schedules schedule, double eps) {
        int intervals = 200_000;
        double h = (1 - eps) / intervals;
        double sum = 0;
        for (int i = 0; i <= intervals; i++) {
            double t = eps + i * h;
            double a2s2 = Math.pow(schedule.a(t) * S, 2);
            double value = a2s2 / (a2s2 + Math.pow(schedule.std(t), 2));
            sum += value * (i == 0 || i == intervals ? 1 : i % 2 == 1 ? 4 : 2);
        }
        return sum * h / 3 / (1 - eps);
    }

    /** The mean and standard error of the loss over 160 batches of 4,096 draws of the data. */
    static double[] measured(Sde sde, Network network) {
        int batches = 160;
        double[] values = new double[batches];
        Rng data = new Rng(11);
        ExactScore source = gaussian(Schedules.vp());
        for (int b = 0; b < batches; b++) {
            NDArray batch = Arrays2.matrix(manager, source.sample(4096, data)).toType(DataType.FLOAT32, false);
            values[b] = Losses.step(sde, network, batch, new Rng(100 + b)).toType(DataType.FLOAT64, false).getDouble();
            batch.close();
        }
        double mean = java.util.Arrays.stream(values).average().orElseThrow();
        double se = Math.sqrt(java.util.Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum() / (batches - 1) / batches);
        return new double[] {mean, se};
    }

    static void check(Sde sde, Schedules schedule, Schedules otherSde) {
        double perDimension = floorPerDimension(schedule, sde.config().trainEps());
        double floor = sde.config().reduceMean() ? perDimension : perDimension * MU.length / 2;
        ExactScore exactScore = gaussian(schedule);
        double[] exact = measured(sde, exactScore);
        double[] tooLarge = measured(sde, (x, label) -> exactScore.apply(x, label).mul(1.2));
        System.out.printf("%s (reduceMean %s): floor %.5f, exact score %.5f +- %.5f, score x 1.2 %.5f +- %.5f%n", sde.name(),
                sde.config().reduceMean(), floor, exact[0], exact[1], tooLarge[0], tooLarge[1]);
        assertEquals(floor, exact[0], 4 * exact[1], sde.name());
        assertTrue(exact[1] < 0.005 * floor, "the estimate is tight: " + exact[1]);
        assertTrue(tooLarge[0] > floor + 8 * tooLarge[1], "a score 20% off stays above the floor: " + tooLarge[0]);
        if (otherSde != null) {
            double[] other = measured(sde, gaussian(otherSde));
            System.out.printf("  the other SDE's exact score %.5f +- %.5f%n", other[0], other[1]);
            assertTrue(other[0] > floor + 8 * other[1], "the other SDE's score stays above the floor: " + other[0]);
        }
    }

    @Test
    void vpLossWithTheExactScoreIsItsFloor() {
        check(new Vp(SdeConfig.cifar10()), Schedules.vp(), Schedules.subvp());
    }

    @Test
    void vpLossSummedOverDimensions() {
        SdeConfig summed = new SdeConfig(0.1, 20, 0.01, 50, 1e-5, 1e-3, false);
        check(new Vp(summed), Schedules.vp(), Schedules.subvp());
    }

    @Test
    void subVpLossWithTheExactScoreIsItsFloor() {
        check(new SubVp(SdeConfig.cifar10()), Schedules.subvp(), Schedules.vp());
    }

    @Test
    void veLossWithTheExactScoreIsItsFloor() {
        // VE's score depends on sigma alone, and sigma is the label: no other VE can be told apart.
        check(new Ve(SdeConfig.ve(0.01, 10)), Schedules.ve(0.01, 10), null);
    }
}
