package pfgm.eval;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.function.Function;
import pfgm.method.Method;
import pfgm.nn.Network;
import pfgm.ode.Drift;
import pfgm.ode.Flow;
import pfgm.ode.OdeSolver;
import pfgm.ode.Solution;
import pfgm.util.Rng;

/**
 * Log-likelihood of data under any method, by the instantaneous change of variables: the
 * probability-flow ODE run forward carries x to the prior (for PFGM from z_min to the z_max plane)
 * while d log p / dt = -div f accumulates, and log p(x) = log p_prior(x(T)) + int div f dt. The divergence is Hutchinson's estimate
 * eps^T (df/dx) eps with one Rademacher vector per sample, fixed for the whole integration, and
 * one vector-Jacobian product per drift evaluation.
 */
public final class Likelihood {
    private Likelihood() {}

    /** log p per sample (float64 values) and the NFE of the integration. */
    public record Result(double[] logDensity, int nfe) {}

    /**
     * @param x (n, N) data, as the model sees it (centred to [-1, 1] for images, dequantized), in
     *     the model's data type: float32 for networks, float64 for the oracle field (DJL's casts
     *     drop gradients, so the oracle is differentiable only when no cast happens)
     */
    public static Result logDensity(Method method, Network network, NDArray x, OdeSolver solver, Rng rng) {
        Flow toPrior = method.flow(network, Math.toIntExact(x.getShape().get(1))).reversed();
        return logDensity(toPrior, method::priorLogDensity, x, solver, rng);
    }

    /**
     * @param toPrior a probability-flow ODE from the data (its start) to the prior (its end)
     * @param priorLogDensity the prior's log density at rows (n, N), as float64 (n)
     */
    public static Result logDensity(Flow toPrior, Function<NDArray, NDArray> priorLogDensity, NDArray x, OdeSolver solver,
            Rng rng) {
        int n = Math.toIntExact(x.getShape().get(0));
        int dim = Math.toIntExact(x.getShape().get(1));
        NDManager manager = x.getManager();
        NDArray eps = rng.uniform(manager, new Shape(n, dim), 0, 1).gte(0.5).toType(DataType.FLOAT32, false).mul(2).sub(1);
        Drift flowDrift = toPrior.drift();
        // State: (n, N+1) = x and the accumulated integral of the divergence.
        Drift joint = (t, state) -> {
            NDArray xs = state.get(new NDIndex(":, :{}", dim)).duplicate();
            xs.setRequiresGradient(true);
            NDArray f;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                f = flowDrift.at(t, xs);
                collector.backward(f.mul(eps.toType(f.getDataType(), false)).sum());
            } catch (ai.djl.engine.EngineException e) {
                throw new IllegalArgumentException("the field model is not differentiable for " + xs.getDataType()
                        + " input (a cast inside it drops the gradient); give the oracle field float64 data", e);
            }
            NDArray divergence = xs.getGradient().mul(eps.toType(xs.getDataType(), false)).sum(new int[] {1}, true);
            return NDArrays.concat(new NDList(f.stopGradient(), divergence), 1).toType(state.getDataType(), false);
        };
        NDArray start = NDArrays.concat(new NDList(x, manager.zeros(new Shape(n, 1), x.getDataType())), 1);
        Solution s = solver.solve(toPrior.withDrift(joint), start, false);
        NDArray end = s.y().get(new NDIndex(":, :{}", dim));
        NDArray integral = s.y().get(new NDIndex(":, {}", dim)).toType(DataType.FLOAT64, false);
        double[] logp = priorLogDensity.apply(end).toType(DataType.FLOAT64, false).add(integral).toDoubleArray();
        return new Result(logp, s.nfe());
    }

    /**
     * Bits per dimension of 8-bit data centred to [-1, 1]: -log2 p / N plus 7, because one unit of
     * [-1, 1] spans 128 of the 256 levels (log2 128 = 7), as the score-SDE code computes it.
     */
    public static double bitsPerDim(double logDensity, int dim) {
        return -logDensity / (dim * Math.log(2)) + 7;
    }

    /** Uniform dequantization of centred 8-bit data: ((x + 1) / 2 * 255 + u) / 256, back to [-1, 1]. */
    public static NDArray dequantize(NDArray centred, Rng rng) {
        NDArray u = rng.uniform(centred.getManager(), centred.getShape(), 0, 1);
        return centred.add(1).mul(127.5f).add(u).div(256).mul(2).sub(1);
    }
}
