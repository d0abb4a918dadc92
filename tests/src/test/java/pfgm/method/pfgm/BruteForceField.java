package pfgm.method.pfgm;

/**
 * The normalized field of docs/design.md written out directly in float64 loops: the independent reference
 * the library's matrix-product computation is checked against.
 */
final class BruteForceField {
    private BruteForceField() {}

    /** @return v = sqrt(N) g / (||g|| + gamma) for one point (x, z) over charges y[B][N] */
    static double[] normalized(double[] x, double z, double[][] y, double gamma) {
        int n = x.length;
        double[] logits = new double[y.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < y.length; j++) {
            double squared = z * z;
            for (int k = 0; k < n; k++) {
                double d = x[k] - y[j][k];
                squared += d * d;
            }
            logits[j] = -(n + 1) / 2.0 * Math.log(squared);
            max = Math.max(max, logits[j]);
        }
        double total = 0;
        for (int j = 0; j < y.length; j++) {
            logits[j] = Math.exp(logits[j] - max);
            total += logits[j];
        }
        double[] g = new double[n + 1];
        for (int j = 0; j < y.length; j++) {
            double w = logits[j] / total;
            for (int k = 0; k < n; k++) {
                g[k] += w * (y[j][k] - x[k]);
            }
        }
        g[n] = -z;
        double norm = 0;
        for (double c : g) {
            norm += c * c;
        }
        norm = Math.sqrt(norm);
        for (int k = 0; k <= n; k++) {
            g[k] *= Math.sqrt(n) / (norm + gamma);
        }
        return g;
    }
}
