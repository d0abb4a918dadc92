package pfgm.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleConsumer;
import pfgm.method.Method;
import pfgm.method.sde.Sde;
import pfgm.nn.Network;
import pfgm.ode.Solution;
import pfgm.util.GradMode;
import pfgm.util.Interrupts;
import pfgm.util.Rng;
import pfgm.util.Scopes;

/**
 * score-SDE's predictor-corrector sampler (sampling.py, get_pc_sampler, as yang-song/score_sde_pytorch
 * ships it): from prior samples at T, for each of the N times of linspace(T, eps, N), first
 * {@code correctorSteps} Langevin steps, then one predictor step of the reverse SDE; the result
 * is the last predictor step's mean (noise_removal). Predictors: euler_maruyama
 * (x += (f - g^2 score) dt + g sqrt(|dt|) z with dt = -T / N, as the official code takes it whatever
 * the grid's spacing) and reverse_diffusion (x = x - f_i + G_i^2 score + G_i z with the SDE's
 * discretization). The Langevin step size is 2 alpha (snr ||z|| / ||score||)^2 with both norms
 * averaged over the batch, as the official corrector does: the samples of one batch share it.
 * Every score evaluation counts toward the NFE.
 */
public record PredictorCorrector(int steps, PredictorCorrectorConfig config) implements Sampler {
    public PredictorCorrector {
        if (steps < 2) {
            throw new IllegalArgumentException("the pc sampler needs steps >= 2 (its times are linspace(T, eps, steps)), got "
                    + steps);
        }
    }

    /** @throws IllegalArgumentException for a method that is no diffusion SDE: it has no reverse SDE to step */
    @Override
    public Solution sample(Method method, Network model, int dim, NDManager manager, int n, Rng rng, boolean keepPath,
            DoubleConsumer progress) {
        if (!(method instanceof Sde sde)) {
            throw new IllegalArgumentException("the pc sampler needs a diffusion SDE (vp, subvp, ve); " + method.name()
                    + " samples with an ODE solver: euler, heun or rk45");
        }
        return sample(sde, model, manager, n, dim, rng, keepPath, progress);
    }

    private Solution sample(Sde sde, Network network, NDManager manager, int n, int dim, Rng rng, boolean keepPath, DoubleConsumer progress) {
        GradMode.off();
        NDArray x = sde.prior(manager, n, dim, rng);
        NDArray mean = null;
        double eps = sde.config().sampleEps();
        int[] nfe = {0};
        List<Double> times = new ArrayList<>();
        List<NDArray> path = new ArrayList<>();
        if (keepPath) {
            times.add(sde.T());
            path.add(x);
        }
        for (int i = 0; i < steps; i++) {
            Interrupts.check("sampling interrupted");
            double t = sde.T() + i * (eps - sde.T()) / (steps - 1);
            NDArray current = x;
            NDList next = Scopes.keepAll(() -> step(sde, network, current, t, rng, nfe));
            if (i > 0 || !keepPath) {
                x.close(); // the noisy state; the path keeps the prior and the means
            }
            if (mean != null && !keepPath) {
                mean.close();
            }
            x = next.get(0);
            mean = next.get(1);
            if (keepPath) {
                times.add(t);
                path.add(mean);
            }
            progress.accept((i + 1.0) / steps);
        }
        x.close();
        return new Solution(mean, nfe[0], keepPath ? times : List.of(), keepPath ? path : List.of());
    }

    /** The corrector's steps, then the predictor's at time t: (x, the predictor's mean). */
    private NDList step(Sde sde, Network network, NDArray start, double t, Rng rng, int[] nfe) {
        NDArray x = start;
        int correctorSteps = config.corrector() == PredictorCorrectorConfig.Corrector.LANGEVIN ? config.correctorSteps() : 0;
        for (int k = 0; k < correctorSteps; k++) {
            NDArray score = sde.score(network, x, t);
            nfe[0]++;
            NDArray noise = rng.normal(x.getManager(), x.getShape()).toType(x.getDataType(), false);
            double scoreNorm = meanNorm(score);
            double noiseNorm = meanNorm(noise);
            double stepSize = 2 * sde.langevinAlpha(t, steps) * Math.pow(config.snr() * noiseNorm / scoreNorm, 2);
            x = x.add(score.mul(stepSize)).add(noise.mul(Math.sqrt(2 * stepSize)));
        }
        NDArray score = sde.score(network, x, t);
        nfe[0]++;
        NDArray z = rng.normal(x.getManager(), x.getShape()).toType(x.getDataType(), false);
        NDArray mean;
        double g;
        if (config.predictor() == PredictorCorrectorConfig.Predictor.REVERSE_DIFFUSION) {
            Sde.Discretized d = sde.discretize(x, t, steps);
            g = d.g();
            mean = Sde.reverseDiffusionMean(x, score, d);
        } else {
            double dt = -sde.T() / steps;
            double diffusion = sde.diffusion(t);
            g = diffusion * Math.sqrt(-dt);
            mean = x.add(sde.drift(x, t).sub(score.mul(diffusion * diffusion)).mul(dt));
        }
        return new NDList(mean.add(z.mul(g)), mean);
    }

    /** The mean over rows of the rows' Euclidean norms. */
    private static double meanNorm(NDArray rows) {
        return rows.toType(DataType.FLOAT64, false).norm(new int[] {1}).mean().getDouble();
    }
}
