package pfgm.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.function.DoubleConsumer;
import pfgm.method.Method;
import pfgm.nn.Network;
import pfgm.ode.Flow;
import pfgm.ode.OdeSolver;
import pfgm.ode.Solution;
import pfgm.util.GradMode;
import pfgm.util.Rng;

/** Prior samples carried to data along the method's probability-flow ODE by a solver; the method may add a last step. */
public record OdeSampler(OdeSolver solver) implements Sampler {
    @Override
    public Solution sample(Method method, Network model, int dim, NDManager manager, int n, Rng rng, boolean keepPath,
            DoubleConsumer progress) {
        GradMode.off();
        NDArray start = method.prior(manager, n, dim, rng);
        Flow flow = method.flow(model, dim, solver).reportingProgress(progress);
        return method.finish(model, solver.solve(flow.withoutTemporaries(), start, keepPath), solver);
    }
}
