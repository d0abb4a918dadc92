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
 * formulation of the official code, which materializes the S x B x (N+1) difference tensor, and
 * against its own float32 form, on the same inputs in the same process, on the manager's device
 * (where float64 costs most, on a GPU, this says what float32 would save and lose).
 */
public record FieldBenchmark(int points, int charges, int dim, int runs, long seed) {
    static final double GAMMA = 5;

    public FieldBenchmark {
        if (points < 1 || charges < points || dim < 1 || runs < 1) {
            throw new IllegalArgumentException("need points >= 1, charges >= points, dim >= 1 and runs >= 1");
        }
    }

    /**
     * The result table; the smallest cosine similarity between the library's and the official
     * code's targets; the largest relative error ||v32 - v64|| / ||v64|| of a point's float32 target.
     */
    public record Result(Table table, double minCosine, double float32Error) {}

    public Result run(NDManager manager) {
        Rng rng = new Rng(seed);
        // CIFAR-like charges in [-1, 1]; queries are the first charges perturbed by the paper's kernel.
        NDArray y = rng.uniform(manager, new Shape(charges, dim), -1, 1);
        NDArray q = new PerturbationKernel(0.01, 0.03, 291, true)
                .perturb(y.get(new NDIndex("0:{}", points)), rng);
        NDArray[] outputs = new NDArray[3];
        Measurement library = Measurement.of(runs, () -> replace(outputs, 0, PoissonField.normalized(q, y, GAMMA)));
        Measurement broadcast = Measurement.of(runs, () -> replace(outputs, 1, broadcastTarget(q, y, GAMMA)));
        Measurement float32 = Measurement.of(runs,
                () -> replace(outputs, 2, PoissonField.normalized(q, y, GAMMA, DataType.FLOAT32)));
        double minCosine = Scopes.keep(() -> {
            NDArray dot = outputs[0].mul(outputs[1]).sum(new int[] {1});
            return dot.div(outputs[0].norm(new int[] {1}).mul(outputs[1].norm(new int[] {1}))).min();
        }).getFloat();
        double float32Error = Scopes.keep(() -> {
            NDArray v64 = outputs[0].toType(DataType.FLOAT64, false);
            return outputs[2].toType(DataType.FLOAT64, false).sub(v64).norm(new int[] {1}).div(v64.norm(new int[] {1})).max();
        }).getDouble();
        Measurement[] all = {library, broadcast, float32};
        Table table = Table.create("normalized field target, S=" + points + " B=" + charges + " N=" + dim
                + ", median of " + runs + ", on " + manager.getDevice(),
                StringColumn.create("method", "library (log-domain matmul, float64)", "broadcast (official code)",
                        "library in float32"),
                DoubleColumn.create("median ms", java.util.Arrays.stream(all).mapToDouble(m -> round(m.medianMillis())).toArray()),
                DoubleColumn.create("peak MB", java.util.Arrays.stream(all).mapToDouble(m -> megabytes(m.peakBytes())).toArray()),
                DoubleColumn.create("time / library", java.util.Arrays.stream(all)
                        .mapToDouble(m -> round(m.medianMillis() / library.medianMillis())).toArray()),
                DoubleColumn.create("memory / library", java.util.Arrays.stream(all)
                        .mapToDouble(m -> round((double) m.peakBytes() / Math.max(1, library.peakBytes()))).toArray()));
        return new Result(table, minCosine, float32Error);
    }

    private static void replace(NDArray[] slots, int i, NDArray value) {
        if (slots[i] != null) {
            slots[i].close();
        }
        slots[i] = value;
        // On a GPU the kernels run asynchronously: reading a value back waits for them, so the time is the work's.
        value.get(0, 0).getFloat();
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
