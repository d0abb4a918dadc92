package pfgm.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import pfgm.method.pfgm.PerturbationKernel;
import pfgm.method.pfgm.PoissonField;
import pfgm.util.Rng;
import pfgm.util.Scopes;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Times the training-target computation of {@link PoissonField#normalized} against the broadcast
 * formulation of the official code, which materializes the S x B x (N+1) difference tensor, on
 * the same inputs in the same process.
 */
public record FieldBenchmark(int points, int charges, int dim, int runs, long seed) {
    static final double GAMMA = 5;

    public FieldBenchmark {
        if (points < 1 || charges < points || dim < 1 || runs < 1) {
            throw new IllegalArgumentException("need points >= 1, charges >= points, dim >= 1 and runs >= 1");
        }
    }

    /** The result table, plus the smallest cosine similarity between both methods' targets. */
    public record Result(Table table, double minCosine) {}

    public Result run(NDManager manager) {
        Rng rng = new Rng(seed);
        // CIFAR-like charges in [-1, 1]; queries are the first charges perturbed by the paper's kernel.
        NDArray y = rng.uniform(manager, new Shape(charges, dim), -1, 1);
        NDArray q = new PerturbationKernel(0.01, 0.03, 291, true)
                .perturb(y.get(new NDIndex("0:{}", points)), rng);
        NDArray[] outputs = new NDArray[2];
        Measurement library = Measurement.of(runs, () -> replace(outputs, 0, PoissonField.normalized(q, y, GAMMA)));
        Measurement broadcast = Measurement.of(runs, () -> replace(outputs, 1, broadcastTarget(q, y, GAMMA)));
        double minCosine = Scopes.keep(() -> {
            NDArray dot = outputs[0].mul(outputs[1]).sum(new int[] {1});
            return dot.div(outputs[0].norm(new int[] {1}).mul(outputs[1].norm(new int[] {1}))).min();
        }).getFloat();
        Table table = Table.create("normalized field target, S=" + points + " B=" + charges + " N=" + dim
                + ", median of " + runs,
                StringColumn.create("method", "library (log-domain matmul, float64)", "broadcast (official code)"),
                DoubleColumn.create("median ms", round(library.medianMillis()), round(broadcast.medianMillis())),
                DoubleColumn.create("peak MB", megabytes(library.peakBytes()), megabytes(broadcast.peakBytes())),
                DoubleColumn.create("time / library", 1.0, round(broadcast.medianMillis() / library.medianMillis())),
                DoubleColumn.create("memory / library", 1.0,
                        round((double) broadcast.peakBytes() / Math.max(1, library.peakBytes()))));
        return new Result(table, minCosine);
    }

    private static void replace(NDArray[] slots, int i, NDArray value) {
        if (slots[i] != null) {
            slots[i].close();
        }
        slots[i] = value;
    }

    private static double megabytes(long bytes) {
        return round(bytes / 1e6);
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    /**
     * The official loss code's target: distances by broadcasting, weights (min d / d)^(N+1)
     * normalized, float32 throughout.
     */
    static NDArray broadcastTarget(NDArray points, NDArray charges, double gamma) {
        long n = charges.getShape().get(1);
        return Scopes.keep(() -> {
            NDArray real = NDArrays.concat(new NDList(charges,
                    charges.getManager().zeros(new Shape(charges.getShape().get(0), 1), DataType.FLOAT32)), 1);
            NDArray diff = points.expandDims(1).sub(real.expandDims(0));
            NDArray squared = diff.square();
            NDArray distance = squared.sum(new int[] {2}).sqrt();
            squared.close();
            NDArray ratio = distance.min(new int[] {1}, true).div(distance.add(1e-7)).pow(n + 1).expandDims(2);
            NDArray coeff = ratio.div(ratio.sum(new int[] {1}, true).add(1e-7));
            NDArray weighted = coeff.mul(diff);
            diff.close();
            // sum_j coeff_j (y_j - q): the sign is flipped after the sum, not on the big tensor.
            NDArray direction = weighted.sum(new int[] {1}).neg();
            weighted.close();
            return direction.div(direction.norm(new int[] {1}, true).add(gamma)).mul(Math.sqrt(n));
        });
    }
}
