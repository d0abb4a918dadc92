package pfgm.ode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import pfgm.util.Interrupts;
import pfgm.util.Scopes;

/**
 * Adaptive Dormand-Prince 5(4), step for step the algorithm of scipy's
 * {@code solve_ivp(method="RK45")}: the same tableau, initial step selection, RMS error norm with
 * scale atol + rtol max(|y|, |y_new|), safety 0.9, step factors in [0.2, 10] and first-same-as-last
 * reuse, so its NFE are comparable to the numbers PFGM papers report.
 */
public final class RK45 implements OdeSolver {
    private static final double[] C = {0, 1 / 5.0, 3 / 10.0, 4 / 5.0, 8 / 9.0, 1};
    private static final double[][] A = {
        {},
        {1 / 5.0},
        {3 / 40.0, 9 / 40.0},
        {44 / 45.0, -56 / 15.0, 32 / 9.0},
        {19372 / 6561.0, -25360 / 2187.0, 64448 / 6561.0, -212 / 729.0},
        {9017 / 3168.0, -355 / 33.0, 46732 / 5247.0, 49 / 176.0, -5103 / 18656.0},
    };
    private static final double[] B = {35 / 384.0, 0, 500 / 1113.0, 125 / 192.0, -2187 / 6784.0, 11 / 84.0};
    /** Error weights: difference of the 5th- and 4th-order solutions, over the seven stages. */
    private static final double[] E = {-71 / 57600.0, 0, 71 / 16695.0, -71 / 1920.0, 17253 / 339200.0, -22 / 525.0, 1 / 40.0};
    private static final double SAFETY = 0.9;
    private static final double MIN_FACTOR = 0.2;
    private static final double MAX_FACTOR = 10;
    private static final double ERROR_EXPONENT = -1 / 5.0;

    private final double rtol;
    private final double atol;

    public RK45(double rtol, double atol) {
        if (!(rtol > 0) || !(atol > 0)) {
            throw new IllegalArgumentException("rtol and atol must be > 0, got rtol=" + rtol + " atol=" + atol);
        }
        this.rtol = rtol;
        this.atol = atol;
    }

    @Override
    public String name() {
        return "rk45";
    }

    @Override
    public Solution solve(Flow flow, NDArray y0, boolean keepPath) {
        Drift f = flow.drift();
        double t0 = flow.start();
        double t1 = flow.end();
        List<Double> times = new ArrayList<>(List.of(t0));
        List<NDArray> path = new ArrayList<>(List.of(y0));
        if (t0 == t1) {
            return new Solution(y0, 0, times, path);
        }
        double direction = Math.signum(t1 - t0);
        int[] nfe = {0};
        NDArray y = y0;
        NDArray slope = evaluate(f, t0, y0, nfe);
        double hAbs = initialStep(f, t0, y0, slope, t1, direction, nfe);
        double t = t0;
        while (direction * (t - t1) < 0) {
            Interrupts.check("sampling interrupted");
            double minStep = 10 * Math.abs(Math.nextAfter(t, direction * Double.POSITIVE_INFINITY) - t);
            hAbs = Math.max(hAbs, minStep);
            boolean rejected = false;
            while (true) {
                if (hAbs < minStep) {
                    throw new IllegalStateException("RK45: required step size fell below the minimum at t = " + t);
                }
                double tNew = t + hAbs * direction;
                if (direction * (tNew - t1) > 0) {
                    tNew = t1;
                }
                double h = tNew - t;
                hAbs = Math.abs(h);
                double tStart = t;
                NDArray yStart = y;
                NDArray slopeStart = slope;
                NDList stepped = Scopes.keepAll(() -> step(f, tStart, yStart, slopeStart, h, nfe));
                double errorNorm = stepped.get(2).getDouble();
                stepped.get(2).close();
                if (Double.isNaN(errorNorm)) {
                    throw new IllegalStateException("RK45: the drift returned NaN or infinity near t = " + t
                            + "; check the model's output (a diverged network, or z outside its range)");
                }
                if (errorNorm < 1) {
                    double factor = errorNorm == 0 ? MAX_FACTOR
                            : Math.min(MAX_FACTOR, SAFETY * Math.pow(errorNorm, ERROR_EXPONENT));
                    if (rejected) {
                        factor = Math.min(1, factor);
                    }
                    hAbs *= factor;
                    if (!keepPath && y != y0) {
                        y.close();
                    }
                    slope.close();
                    y = stepped.get(0);
                    slope = stepped.get(1);
                    t = tNew;
                    if (keepPath) {
                        times.add(t);
                        path.add(y);
                    }
                    break;
                }
                stepped.get(0).close();
                stepped.get(1).close();
                hAbs *= Math.max(MIN_FACTOR, SAFETY * Math.pow(errorNorm, ERROR_EXPONENT));
                rejected = true;
            }
        }
        slope.close();
        return new Solution(y, nfe[0], keepPath ? times : List.of(), keepPath ? path : List.of());
    }

    /** One Dormand-Prince step: (y_new, f(t + h, y_new), error norm as a scalar). */
    private NDList step(Drift f, double t, NDArray y, NDArray slope, double h, int[] nfe) {
        NDArray[] k = new NDArray[7];
        k[0] = slope;
        for (int s = 1; s < 6; s++) {
            k[s] = evaluate(f, t + C[s] * h, y.add(combine(k, A[s], h)), nfe);
        }
        NDArray yNew = y.add(combine(k, B, h));
        k[6] = evaluate(f, t + h, yNew, nfe);
        NDArray scale = y.abs().maximum(yNew.abs()).mul(rtol).add(atol);
        NDArray error = combine(k, E, h).div(scale).toType(DataType.FLOAT64, false);
        NDArray errorNorm = error.square().mean().sqrt();
        return new NDList(yNew, k[6], errorNorm);
    }

    /** h * sum_i weights[i] k[i], skipping zero weights. */
    private static NDArray combine(NDArray[] k, double[] weights, double h) {
        NDArray sum = null;
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] != 0) {
                NDArray term = k[i].mul(weights[i] * h);
                sum = sum == null ? term : sum.add(term);
            }
        }
        return sum;
    }

    /** scipy's select_initial_step (Hairer, Norsett, Wanner, section II.4) for order 4. */
    private double initialStep(Drift f, double t0, NDArray y0, NDArray f0, double t1, double direction, int[] nfe) {
        double interval = Math.abs(t1 - t0);
        try (NDScope scope = new NDScope()) {
            NDArray scale = y0.abs().mul(rtol).add(atol);
            double d0 = rms(y0.div(scale));
            double d1 = rms(f0.div(scale));
            double h0 = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : 0.01 * d0 / d1;
            h0 = Math.min(h0, interval);
            NDArray f1 = evaluate(f, t0 + h0 * direction, y0.add(f0.mul(h0 * direction)), nfe);
            double d2 = rms(f1.sub(f0).div(scale)) / h0;
            double h1 = d1 <= 1e-15 && d2 <= 1e-15 ? Math.max(1e-6, h0 * 1e-3)
                    : Math.pow(0.01 / Math.max(d1, d2), 1 / 5.0);
            return Math.min(Math.min(100 * h0, h1), interval);
        }
    }

    private static double rms(NDArray a) {
        return a.toType(DataType.FLOAT64, false).square().mean().sqrt().getDouble();
    }

    private static NDArray evaluate(Drift f, double t, NDArray y, int[] nfe) {
        nfe[0]++;
        return f.at(t, y);
    }
}
