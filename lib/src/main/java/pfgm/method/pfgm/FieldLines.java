package pfgm.method.pfgm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import pfgm.util.Rng;
import pfgm.util.Scopes;

/**
 * Starting points for field lines that carry equal flux: just above each charge, at height delta,
 * offsets follow the charge's own flux density through that plane, the Poisson kernel with
 * z = delta (radius delta sqrt(b / (1 - b)), b ~ Beta(N/2, 1/2), uniform direction). Flowing them
 * up the field shows Theorem 1: equal-flux lines end uniformly on a large hemisphere.
 */
public final class FieldLines {
    private FieldLines() {}

    /**
     * @param charges (B, N)
     * @param perCharge lines per charge
     * @param delta starting height, small next to the spacing of the charges
     * @return (B * perCharge, N) starting x coordinates, float32, rows grouped by charge
     */
    public static NDArray equalFluxStarts(NDArray charges, int perCharge, double delta, Rng rng) {
        long b = charges.getShape().get(0);
        int dim = Math.toIntExact(charges.getShape().get(1));
        int n = Math.toIntExact(b * perCharge);
        double[] beta = rng.beta(n, dim / 2.0, 0.5);
        float[] radii = new float[n];
        for (int i = 0; i < n; i++) {
            radii[i] = (float) (delta * Math.sqrt(beta[i] / (1 - beta[i])));
        }
        NDManager manager = charges.getManager();
        NDArray directions = rng.unitVectors(manager, n, dim);
        return Scopes.keep(() -> charges.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).repeat(0, perCharge)
                .add(directions.mul(manager.create(radii, new Shape(n, 1)))));
    }
}
