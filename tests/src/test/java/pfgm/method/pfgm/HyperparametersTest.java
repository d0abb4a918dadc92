package pfgm.method.pfgm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class HyperparametersTest {

    /** The official hyper-parameters.py prints these for --data_norm 32 --data_dim 3072. */
    @Test
    void cifarValuesMatchTheOfficialScript() {
        Hyperparameters hp = Hyperparameters.forData(32, 3072, 0.01, 0.03);
        assertEquals(291, hp.M());
        assertEquals(43.41, hp.zMax(), 0.005);
        assertEquals(3015.4, hp.upperNorm(), 0.05);
    }

    @Test
    void formulasHoldForOtherSettings() {
        double norm = 10;
        int dim = 784;
        double sigma = 0.02;
        double tau = 0.05;
        Hyperparameters hp = Hyperparameters.forData(norm, dim, sigma, tau);
        // M is the smallest integer above 0.75 ln(norm^2 / (2 sqrt(N) sigma^2)) / ln(1 + tau).
        double bound = 0.75 * Math.log(norm * norm / (2 * 28 * sigma * sigma)) / Math.log(1 + tau);
        assertEquals((int) bound + 1, hp.M());
        assertEquals(Math.sqrt(Math.PI / 2), hp.upperNorm() / hp.zMax() / 28, 1e-12);
        assertEquals(28 * sigma * Math.pow(1 + tau, hp.M()), hp.upperNorm(), 1e-9);
    }

    @Test
    void averageNormIsTheMeanRowNorm() {
        try (NDManager manager = NDManager.newBaseManager()) {
            var data = manager.create(new float[] {3, 4, 0, 0, 0, 1, 0, 0}, new ai.djl.ndarray.types.Shape(2, 2, 2));
            assertEquals(3.0, Hyperparameters.averageNorm(data), 1e-6); // norms 5 and 1
        }
    }

    @Test
    void outOfRangeInputsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Hyperparameters.forData(32, 3072, -0.01, 0.03));
        assertThrows(IllegalArgumentException.class, () -> Hyperparameters.forData(0, 3072, 0.01, 0.03));
        assertThrows(IllegalArgumentException.class, () -> Hyperparameters.forData(32, 0, 0.01, 0.03));
    }
}
