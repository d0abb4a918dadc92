package pfgm.plot;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import pfgm.ode.Solution;

/** Turns a solver's path into plain arrays for {@link Charts#trajectories}. */
public final class Trajectories {
    private Trajectories() {}

    /**
     * One (n, 2) array per step. For 1-D data the columns are (x, z), z = exp(t) for a PFGM flow in
     * log z (RK45, PoissonFlow.flow()); for 2-D data they are the two data coordinates.
     */
    public static List<double[][]> planar(Solution solution) {
        List<double[][]> steps = new ArrayList<>();
        for (int s = 0; s < solution.path().size(); s++) {
            NDArray state = solution.path().get(s);
            int n = Math.toIntExact(state.getShape().get(0));
            int dim = Math.toIntExact(state.getShape().get(1));
            if (dim > 2) {
                throw new IllegalArgumentException("planar paths need 1-D or 2-D data, got N = " + dim);
            }
            double[] values = state.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray();
            double z = Math.exp(solution.times().get(s));
            double[][] rows = new double[n][];
            for (int i = 0; i < n; i++) {
                rows[i] = dim == 1 ? new double[] {values[i], z} : new double[] {values[2 * i], values[2 * i + 1]};
            }
            steps.add(rows);
        }
        return steps;
    }
}
