package pfgm.nn;

/**
 * The architecture of a field network, as the official configs describe it.
 *
 * @param kind MLP (low-dimensional data), DDPMPP (DDPM++: BigGAN blocks, skip rescale), NCSNPP
 *     (NCSN++: DDPM++ with FIR resampling and the residual input pyramid, as the official
 *     cifar10_ncsnpp configs set fir, progressive_input = 'residual', progressive = 'none'), DDPM
 *     (the DDPM U-Net: plain residual blocks, convolutional resampling; the weaker network of
 *     the paper's robustness experiment)
 * @param channels image channels C (for the MLP: the data dimension N)
 * @param imageSize image height = width (0 for the MLP)
 * @param nf base width (MLP: hidden width)
 * @param chMult width multipliers per resolution (MLP: unused)
 * @param numResBlocks residual blocks per resolution (MLP: hidden layers)
 * @param attnResolutions resolutions with self-attention
 * @param dropout dropout rate
 * @param embedding POSITIONAL (sinusoidal of z, the official DDPM++) or FOURIER (of log z, NCSN++)
 * @param fourierScale scale of the Fourier projection
 */
public record NetworkConfig(Kind kind, int channels, int imageSize, int nf, int[] chMult, int numResBlocks,
        int[] attnResolutions, float dropout, Embedding embedding, float fourierScale) {

    public enum Kind { MLP, DDPMPP, NCSNPP, DDPM }

    public enum Embedding { POSITIONAL, FOURIER }

    public NetworkConfig {
        if (channels < 1 || nf < 4 || numResBlocks < 1 || dropout < 0 || dropout >= 1) {
            throw new IllegalArgumentException("network: need channels >= 1, nf >= 4, numResBlocks >= 1, dropout in [0, 1)");
        }
        if (kind != Kind.MLP) {
            int factor = 1 << (chMult.length - 1);
            if (imageSize < 1 || imageSize % factor != 0) {
                throw new IllegalArgumentException("image size " + imageSize + " must be divisible by 2^(levels - 1) = " + factor);
            }
            for (int m : chMult) {
                if (nf * m % 4 != 0 || nf * m / 4 < 1) {
                    throw new IllegalArgumentException("nf * chMult must be a positive multiple of 4 for GroupNorm, got " + nf * m);
                }
            }
        }
    }

    /** The official CIFAR-10 DDPM++ (configs/poisson/cifar10_ddpmpp.py). */
    public static NetworkConfig cifar10Ddpmpp() {
        return new NetworkConfig(Kind.DDPMPP, 3, 32, 128, new int[] {1, 2, 2, 2}, 4, new int[] {16}, 0.1f, Embedding.POSITIONAL, 16);
    }

    /** DDPM++ deep: 8 residual blocks per resolution. */
    public static NetworkConfig cifar10DdpmppDeep() {
        return new NetworkConfig(Kind.DDPMPP, 3, 32, 128, new int[] {1, 2, 2, 2}, 8, new int[] {16}, 0.1f, Embedding.POSITIONAL, 16);
    }

    /** The official CIFAR-10 NCSN++ (configs/poisson/cifar10_ncsnpp.py). */
    public static NetworkConfig cifar10Ncsnpp() {
        return new NetworkConfig(Kind.NCSNPP, 3, 32, 128, new int[] {1, 2, 2, 2}, 4, new int[] {16}, 0.1f, Embedding.FOURIER, 16);
    }

    /** NCSN++ deep: 8 residual blocks per resolution (score-SDE's configs/ve/cifar10_ncsnpp_deep_continuous.py). */
    public static NetworkConfig cifar10NcsnppDeep() {
        return new NetworkConfig(Kind.NCSNPP, 3, 32, 128, new int[] {1, 2, 2, 2}, 8, new int[] {16}, 0.1f, Embedding.FOURIER, 16);
    }

    /** BigGAN residual blocks (resampling inside them, skip rescale): DDPM++ and NCSN++. */
    public boolean bigGan() {
        return kind == Kind.DDPMPP || kind == Kind.NCSNPP;
    }

    /** Resampling with the [1, 3, 3, 1] FIR filter (fir = True): NCSN++. */
    public boolean fir() {
        return kind == Kind.NCSNPP;
    }

    /** progressive_input = 'residual', the downsampled input pyramid added after every downsampling: NCSN++. */
    public boolean inputPyramid() {
        return kind == Kind.NCSNPP;
    }

    /**
     * Whether the network embeds the log of its label (Fourier features of log z, log sigma, ...;
     * the MLP always does) rather than the label itself (the sinusoidal embedding of DDPM).
     */
    public boolean embedsLogOfLabel() {
        return kind == Kind.MLP || embedding == Embedding.FOURIER;
    }

    /** The MLP for 2-D toy data. */
    public static NetworkConfig mlp(int dim, int width, int layers) {
        return new NetworkConfig(Kind.MLP, dim, 0, width, new int[0], layers, new int[0], 0f, Embedding.FOURIER, 4);
    }

    /** Every setting on one line (a record's own toString would print the arrays' identities). */
    @Override
    public String toString() {
        return String.format("%s(channels=%d, imageSize=%d, nf=%d, chMult=%s, numResBlocks=%d, attnResolutions=%s, "
                + "dropout=%s, embedding=%s, fourierScale=%s)", kind, channels, imageSize, nf,
                java.util.Arrays.toString(chMult), numResBlocks, java.util.Arrays.toString(attnResolutions), dropout,
                embedding, fourierScale);
    }

    /** One sample's shape as the network takes it: (N) for the MLP, (C, H, W) for images. */
    public ai.djl.ndarray.types.Shape sampleShape() {
        return kind == Kind.MLP ? new ai.djl.ndarray.types.Shape(channels)
                : new ai.djl.ndarray.types.Shape(channels, imageSize, imageSize);
    }
}
