package pfgm.method.pfgmpp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.Arrays;
import pfgm.nn.Network;
import pfgm.train.Loss;
import pfgm.util.Rng;

/**
 * PFGM++'s loss (training/loss.py, EDMLoss with pfgmpp): rows perturbed by the kernel at noise
 * levels with ln sigma ~ N(P_mean, P_std^2); a row's loss is lambda(sigma) ||D(x, sigma) - y||^2
 * summed over the N coordinates, lambda(sigma) = (sigma^2 + s^2) / (sigma s)^2 = 1 / c_out^2, and
 * the step's loss their mean (the training loop's loss.sum() / batch).
 */
final class EdmLoss implements Loss {
    private final Pfgmpp method;
    private final int rows;

    EdmLoss(Pfgmpp method, int rows) {
        this.method = method;
        this.rows = rows;
    }

    @Override
    public int rows() {
        return rows;
    }

    /** Inputs y + R u, labels sigma (float64); extras: the clean rows y and lambda(sigma) as an (n, 1) column. */
    @Override
    public Targets prepare(NDArray batch, Rng rng) {
        int n = Math.toIntExact(batch.getShape().get(0));
        int dim = Math.toIntExact(batch.getShape().get(1));
        double[] sigma = method.trainingSigmas(n, rng);
        NDArray x = batch.add(method.perturbation(batch.getManager(), sigma, dim, rng).toType(batch.getDataType(), false));
        double[] weight = Arrays.stream(sigma).map(s -> weight(s, method.config().sigmaData())).toArray();
        return new Targets(x, batch.getManager().create(sigma), new NDList(batch, EdmPreconditioning.column(x, weight)));
    }

    @Override
    public NDArray perRow(Network model, Targets targets) {
        NDArray denoised = model.apply(targets.inputs(), targets.labels());
        return denoised.sub(targets.extras().get(0)).square().mul(targets.extras().get(1).toType(denoised.getDataType(), false))
                .sum(new int[] {1});
    }

    /** lambda(sigma) = (sigma^2 + s^2) / (sigma s)^2; lambda c_out^2 = 1. */
    static double weight(double sigma, double sigmaData) {
        double s = sigmaData;
        return (sigma * sigma + s * s) / (sigma * s * sigma * s);
    }
}
