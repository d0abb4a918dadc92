package pfgm.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import pfgm.data.Toy2D;
import pfgm.notebook.Notebook;
import pfgm.util.Rng;

class MmdTest {
    /**
     * Eight well separated Gaussians (sd 0.5/sqrt 2) with equal weights: the entropy is log 8 plus a
     * 2-D Gaussian's 1 + log(2 pi sd^2) = 2.838 nats, the NLL of the distribution's own samples.
     */
    @Test
    void nllOfTheDistributionsOwnSamplesIsItsEntropy() {
        try (NDManager manager = NDManager.newBaseManager()) {
            double[][] samples = Notebook.rows(Toy2D.EIGHT_GAUSSIANS.sample(manager, 20_000, new Rng(1)));
            double entropy = Math.log(8) + 1 + Math.log(2 * Math.PI * 0.125);
            assertEquals(entropy, Mmd.negativeLogLikelihood(Toy2D.EIGHT_GAUSSIANS, samples), 0.03);
        }
    }

    @Test
    void gaussianMmdSeparatesDistributions() {
        Rng rng = new Rng(2);
        double[][] a = FidTest.gaussian(300, 2, 0, rng);
        double[][] b = FidTest.gaussian(300, 2, 0, rng);
        double[][] c = FidTest.gaussian(300, 2, 1, rng);
        double same = Mmd.unbiasedSquared(a, b, Mmd.gaussian(1));
        double different = Mmd.unbiasedSquared(a, c, Mmd.gaussian(1));
        assertEquals(0, same, 0.01);
        assertTrue(different > 0.1, "shifted by (1, 1): " + different);
    }
}
