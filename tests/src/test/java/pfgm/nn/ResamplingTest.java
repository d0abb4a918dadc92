package pfgm.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;
import pfgm.ManagedArrays;
import pfgm.util.Rng;

/**
 * NCSN++'s FIR resampling against the official definitions (up_or_down_sampling.py), computed
 * per plane in double precision by a direct loop over pixels of StyleGAN2's upfirdn2d.
 */
class ResamplingTest extends ManagedArrays {
    static final int B = 2, C = 3, H = 6, W = 8;
    static final double[] FIR = {1, 3, 3, 1};

    /** _setup_kernel: outer(k, k) / sum, times gain. */
    static double[][] kernel(double gain) {
        double sum = 0;
        for (double a : FIR) {
            for (double b : FIR) {
                sum += a * b;
            }
        }
        double[][] k = new double[FIR.length][FIR.length];
        for (int i = 0; i < FIR.length; i++) {
            for (int j = 0; j < FIR.length; j++) {
                k[i][j] = gain * FIR[i] * FIR[j] / sum;
            }
        }
        return k;
    }

    /**
     * upfirdn2d on one plane: up - 1 zeros after every sample, pad (pad0, pad1) on both axes,
     * convolve with the (flipped) kernel, keep every down-th sample.
     */
    static double[][] upfirdn2d(double[][] x, double[][] k, int up, int down, int pad0, int pad1) {
        int h = x.length * up + pad0 + pad1;
        int w = x[0].length * up + pad0 + pad1;
        double[][] padded = new double[h][w];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[0].length; j++) {
                padded[pad0 + i * up][pad0 + j * up] = x[i][j];
            }
        }
        int n = k.length;
        double[][] out = new double[(h - n) / down + 1][(w - n) / down + 1];
        for (int i = 0; i < out.length; i++) {
            for (int j = 0; j < out[0].length; j++) {
                for (int a = 0; a < n; a++) {
                    for (int b = 0; b < n; b++) {
                        out[i][j] += k[n - 1 - a][n - 1 - b] * padded[i * down + a][j * down + b];
                    }
                }
            }
        }
        return out;
    }

    /** upsample_2d(x, k, factor 2, gain 1). */
    static double[][] upsample2d(double[][] x) {
        int factor = 2;
        int p = FIR.length - factor;
        return upfirdn2d(x, kernel(factor * factor), factor, 1, (p + 1) / 2 + factor - 1, p / 2);
    }

    /** downsample_2d(x, k, factor 2, gain 1). */
    static double[][] downsample2d(double[][] x) {
        int factor = 2;
        int p = FIR.length - factor;
        return upfirdn2d(x, kernel(1), 1, factor, (p + 1) / 2, p / 2);
    }

    /** Planes [b][c] of an array (b, c, h, w). */
    static double[][][][] planes(NDArray x) {
        Shape s = x.getShape();
        int b = (int) s.get(0), c = (int) s.get(1), h = (int) s.get(2), w = (int) s.get(3);
        float[] v = x.toFloatArray();
        double[][][][] out = new double[b][c][h][w];
        for (int i = 0; i < v.length; i++) {
            out[i / (c * h * w)][i / (h * w) % c][i / w % h][i % w] = v[i];
        }
        return out;
    }

    static void assertPlanes(double[][][][] expected, NDArray got) {
        assertEquals(new Shape(expected.length, expected[0].length, expected[0][0].length, expected[0][0][0].length),
                got.getShape());
        double[][][][] actual = planes(got);
        for (int b = 0; b < expected.length; b++) {
            for (int c = 0; c < expected[0].length; c++) {
                for (int i = 0; i < expected[0][0].length; i++) {
                    for (int j = 0; j < expected[0][0][0].length; j++) {
                        assertEquals(expected[b][c][i][j], actual[b][c][i][j], 1e-5, "at " + b + "," + c + "," + i + "," + j);
                    }
                }
            }
        }
    }

    static NDArray input() {
        return new Rng(9).normal(manager, new Shape(B, C, H, W));
    }

    @Test
    void firUpsamplingIsUpsample2d() {
        NDArray x = input();
        double[][][][] in = planes(x);
        double[][][][] want = new double[B][C][][];
        for (int b = 0; b < B; b++) {
            for (int c = 0; c < C; c++) {
                want[b][c] = upsample2d(in[b][c]);
            }
        }
        assertPlanes(want, Layers.firUpsample(x));
    }

    @Test
    void firDownsamplingIsDownsample2d() {
        NDArray x = input();
        double[][][][] in = planes(x);
        double[][][][] want = new double[B][C][][];
        for (int b = 0; b < B; b++) {
            for (int c = 0; c < C; c++) {
                want[b][c] = downsample2d(in[b][c]);
            }
        }
        assertPlanes(want, Layers.firDownsample(x));
    }

    /**
     * The pyramid's Downsample(with_conv, fir): conv_downsample_2d with a 3 x 3 weight, pad
     * ((p + 1) / 2, p / 2) with p = (4 - 2) + (3 - 1), then a stride-2 convolution, plus the bias.
     */
    @Test
    void fusedFirConvolutionDownsamplingIsConvDownsample2d() {
        int out = 2;
        NDArray x = input();
        UNet.PyramidDownsample block = new UNet.PyramidDownsample(out);
        block.initialize(manager, DataType.FLOAT32, x.getShape());
        NDArray weight = NetworksTest.param(block, "weight");
        NDArray bias = NetworksTest.param(block, "bias");
        bias.set(new Rng(4).normal(manager, bias.getShape()).toFloatArray()); // the bias starts at 0: make it count
        float[] w = weight.toFloatArray();
        float[] beta = bias.toFloatArray();
        int p = (FIR.length - 2) + (3 - 1);
        double[][][][] in = planes(x);
        double[][][][] want = new double[B][out][H / 2][W / 2];
        for (int b = 0; b < B; b++) {
            for (int c = 0; c < C; c++) {
                double[][] blurred = upfirdn2d(in[b][c], kernel(1), 1, 1, (p + 1) / 2, p / 2);
                for (int o = 0; o < out; o++) {
                    for (int i = 0; i < H / 2; i++) {
                        for (int j = 0; j < W / 2; j++) {
                            for (int a = 0; a < 3; a++) {
                                for (int d = 0; d < 3; d++) {
                                    want[b][o][i][j] += w[((o * C + c) * 3 + a) * 3 + d] * blurred[2 * i + a][2 * j + d];
                                }
                            }
                        }
                    }
                }
            }
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < H / 2; i++) {
                    for (int j = 0; j < W / 2; j++) {
                        want[b][o][i][j] += beta[o];
                    }
                }
            }
        }
        assertPlanes(want, block.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow());
    }
}
