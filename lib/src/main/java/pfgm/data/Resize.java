package pfgm.data;

/**
 * Separable resampling of image planes. Shrinking averages the input area each output pixel
 * covers (exact antialiasing: no input pixel is skipped, the mean is kept); enlarging is bilinear
 * with half-pixel centres. Each output pixel reads only a few inputs, so large images stay cheap.
 */
final class Resize {
    private Resize() {}

    /** {@code planes} planes of h x w values, one after another, resized to outH x outW each. */
    static float[] planes(float[] source, int planes, int h, int w, int outH, int outW) {
        return planes(source, planes, h, w, outH, outW, false);
    }

    /**
     * As {@link #planes(float[], int, int, int, int, int)}; with {@code bilinearOnly} shrinking is
     * bilinear too (two taps, no antialiasing), as PyTorch's {@code interpolate(mode="bilinear",
     * align_corners=False)} does it.
     */
    static float[] planes(float[] source, int planes, int h, int w, int outH, int outW, boolean bilinearOnly) {
        if (outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException("target size must be positive, got " + outH + "x" + outW);
        }
        Axis columns = bilinearOnly ? Axis.bilinear(w, outW) : Axis.of(w, outW);
        Axis rows = bilinearOnly ? Axis.bilinear(h, outH) : Axis.of(h, outH);
        float[] wide = new float[planes * h * outW];
        for (int line = 0; line < planes * h; line++) {
            columns.apply(source, line * w, 1, wide, line * outW, 1);
        }
        float[] out = new float[planes * outH * outW];
        for (int p = 0; p < planes; p++) {
            for (int x = 0; x < outW; x++) {
                rows.apply(wide, p * h * outW + x, outW, out, p * outH * outW + x, outW);
            }
        }
        return out;
    }

    /** The weights along one axis: output i is the sum over k of weights[i][k] * input[first[i] + k]. */
    private record Axis(int[] first, float[][] weights) {

        static Axis of(int in, int out) {
            return out < in ? area(in, out) : bilinear(in, out);
        }

        /** Output i covers [i s, (i + 1) s) in input pixels, s = in / out; each input weighs by its overlap. */
        private static Axis area(int in, int out) {
            double scale = (double) in / out;
            int[] first = new int[out];
            float[][] weights = new float[out][];
            for (int i = 0; i < out; i++) {
                double start = i * scale;
                double end = (i + 1) * scale;
                first[i] = (int) Math.floor(start);
                int last = Math.min(in, (int) Math.ceil(end));
                weights[i] = new float[last - first[i]];
                for (int j = first[i]; j < last; j++) {
                    weights[i][j - first[i]] = (float) ((Math.min(end, j + 1) - Math.max(start, j)) / scale);
                }
            }
            return new Axis(first, weights);
        }

        /** Output centre i + 1/2 maps to input coordinate (i + 1/2) in / out; clamped at the borders. */
        private static Axis bilinear(int in, int out) {
            int[] first = new int[out];
            float[][] weights = new float[out][];
            for (int i = 0; i < out; i++) {
                double centre = Math.min(in - 1, Math.max(0, (i + 0.5) * in / out - 0.5));
                first[i] = Math.min((int) Math.floor(centre), Math.max(0, in - 2));
                double fraction = centre - first[i];
                weights[i] = in == 1 ? new float[] {1} : new float[] {(float) (1 - fraction), (float) fraction};
            }
            return new Axis(first, weights);
        }

        void apply(float[] source, int sourceStart, int sourceStride, float[] target, int targetStart, int targetStride) {
            for (int i = 0; i < first.length; i++) {
                double sum = 0;
                float[] w = weights[i];
                int at = sourceStart + first[i] * sourceStride;
                for (int k = 0; k < w.length; k++, at += sourceStride) {
                    sum += w[k] * source[at];
                }
                target[targetStart + i * targetStride] = (float) sum;
            }
        }
    }
}
