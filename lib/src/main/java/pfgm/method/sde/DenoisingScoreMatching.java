package pfgm.method.sde;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import pfgm.nn.Network;
import pfgm.train.Loss;
import pfgm.util.Rng;
import pfgm.util.Scalars;

/**
 * score-SDE's continuous denoising score matching without likelihood weighting (losses.py,
 * get_sde_loss_fn): t ~ U[trainEps, T], z ~ N(0, I), x_t = a(t) x + std(t) z; a row's loss is the
 * squared error of std(t) score(x_t, t) + z, reduced over the dimensions by its mean (reduceMean)
 * or half its sum.
 */
final class DenoisingScoreMatching implements Loss {
    private final Sde sde;
    private final int rows;

    DenoisingScoreMatching(Sde sde, int rows) {
        this.sde = sde;
        this.rows = rows;
    }

    @Override
    public int rows() {
        return rows;
    }

    /** Inputs x_t, labels of t; extras: the noise z, std(t) and the score's scale, as (n, 1) columns. */
    @Override
    public Targets prepare(NDArray batch, Rng rng) {
        NDManager manager = batch.getManager();
        int n = Math.toIntExact(batch.getShape().get(0));
        double eps = sde.config().trainEps();
        float[] mean = new float[n];
        float[] std = new float[n];
        float[] labels = new float[n];
        float[] scales = new float[n];
        for (int i = 0; i < n; i++) {
            double t = eps + (sde.T() - eps) * rng.nextDouble();
            mean[i] = (float) sde.meanCoefficient(t);
            std[i] = (float) sde.std(t);
            labels[i] = (float) sde.label(t);
            scales[i] = (float) sde.scoreScale(t);
        }
        NDArray z = rng.normal(manager, batch.getShape()).toType(batch.getDataType(), false);
        NDArray stdColumn = column(manager, std, batch);
        NDArray perturbed = batch.mul(column(manager, mean, batch)).add(z.mul(stdColumn));
        return new Targets(perturbed, manager.create(labels).toType(batch.getDataType(), false),
                new NDList(z, stdColumn, column(manager, scales, batch)));
    }

    @Override
    public NDArray perRow(Network model, Targets targets) {
        NDArray z = targets.extras().get(0);
        NDArray score = model.apply(targets.inputs(), targets.labels()).mul(targets.extras().get(2));
        NDArray squared = score.mul(targets.extras().get(1)).add(z).square();
        return sde.config().reduceMean() ? squared.mean(new int[] {1}) : Scalars.times(squared.sum(new int[] {1}), 0.5);
    }

    private static NDArray column(NDManager manager, float[] values, NDArray like) {
        return manager.create(values, new Shape(values.length, 1)).toType(like.getDataType(), false);
    }
}
