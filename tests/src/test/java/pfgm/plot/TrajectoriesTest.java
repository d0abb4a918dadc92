package pfgm.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;
import pfgm.ode.Solution;

class TrajectoriesTest {
    @Test
    void oneDimensionalPathsGainTheirHeightFromTheLogZTime() {
        try (NDManager m = NDManager.newBaseManager()) {
            Solution s = new Solution(null, 2, List.of(0.0, Math.log(2)),
                    List.of(m.create(new float[] {1, 2}, new Shape(2, 1)), m.create(new float[] {3, 4}, new Shape(2, 1))));
            List<double[][]> steps = Trajectories.planar(s);
            assertArrayEquals(new double[] {2, 1}, steps.get(0)[1], 1e-12);
            assertArrayEquals(new double[] {3, 2}, steps.get(1)[0], 1e-12);
            Solution wide = new Solution(null, 1, List.of(0.0), List.of(m.zeros(new Shape(1, 3))));
            assertThrows(IllegalArgumentException.class, () -> Trajectories.planar(wide));
        }
    }
}
