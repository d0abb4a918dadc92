package pfgm.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import org.junit.jupiter.api.Test;
import pfgm.ManagedArrays;

/**
 * Initial weights as the official code draws them (models/layers.py default_init: variance scaling,
 * fan_avg, uniform, so limit sqrt(3 scale / fan_avg)): scale 1 for most layers, 1e-10 for the last
 * convolution of a block, and 0.1 for the attention's q, k and v projections (NIN's default
 * init_scale in AttnBlockpp and DDPM's AttnBlock).
 */
class InitializationTest extends ManagedArrays {
    static NDArray weight(Block block, String suffix) {
        return block.getParameters().stream().filter(p -> p.getKey().endsWith(suffix)).findFirst().orElseThrow()
                .getValue().getArray();
    }

    /** The sample's standard deviation against the uniform law's, and every value within its limit. */
    static void assertDefaultInit(NDArray w, double scale, double fanAvg, String what) {
        double limit = Math.sqrt(3 * scale / fanAvg);
        double std = w.toType(DataType.FLOAT64, false).square().mean().sqrt().getDouble();
        assertTrue(w.abs().max().getFloat() <= limit * (1 + 1e-6), what + ": beyond " + limit);
        assertEquals(limit / Math.sqrt(3), std, 0.05 * limit / Math.sqrt(3), what + " standard deviation");
    }

    @Test
    void attentionProjectionsStartAsTheOfficialOnes() {
        int c = 64;
        Attention attention = new Attention(c, true);
        attention.initialize(manager, DataType.FLOAT32, new Shape(1, c, 4, 4));
        for (String projection : new String[] {"q_weight", "k_weight", "v_weight"}) {
            assertDefaultInit(weight(attention, projection), 0.1, c, projection); // 1 x 1: fan_in = fan_out = C
        }
        assertTrue(weight(attention, "out_weight").abs().max().getFloat() < 1e-5, "the output projection starts at zero");
    }

    @Test
    void residualBlocksStartAsTheOfficialOnes() {
        ResBlock block = new ResBlock(32, 64, 0.1f, ResBlock.Resample.NONE, true, false);
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 32, 8, 8), new Shape(1, 128));
        assertDefaultInit(weight(block, "conv1_weight"), 1, (32 + 64) * 9 / 2.0, "conv1");
        assertDefaultInit(weight(block, "embed_weight"), 1, (128 + 64) / 2.0, "embed");
        assertDefaultInit(weight(block, "skip_weight"), 1, (32 + 64) / 2.0, "skip");
        assertTrue(weight(block, "conv2_weight").abs().max().getFloat() < 1e-5, "conv2 starts at zero");
    }
}
