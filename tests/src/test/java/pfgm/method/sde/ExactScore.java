package pfgm.method.sde;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import pfgm.nn.Network;
import pfgm.util.Rng;

/**
 * A mixture of Gaussians N(mu_k, Sigma_k) in d dimensions and, as a {@link Network}, the exact
 * score of its marginal under an SDE: each component becomes N(a mu_k, a^2 Sigma_k + std^2 I), so
 * the score is the responsibility-weighted sum of -(a^2 Sigma_k + std^2 I)^-1 (x - a mu_k). The
 * network answers what the SDE expects of a trained one (output = score * outputPerScore at the
 * label's time), computed row by row in Java doubles with the test's own {@link Schedules}.
 */
final class ExactScore implements Network {
    /** One component: weight, mean, and covariance Q diag(variances) Q^T with Q orthonormal (rows of Q^T = columns). */
    record Component(double weight, double[] mean, double[][] q, double[] variances) {
        double[][] covariance() {
            int d = mean.length;
            double[][] c = new double[d][d];
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    for (int k = 0; k < d; k++) {
                        c[i][j] += q[i][k] * variances[k] * q[j][k];
                    }
                }
            }
            return c;
        }
    }

    private final List<Component> components;
    private final Schedules schedule;
    private final int dim;

    ExactScore(List<Component> components, Schedules schedule) {
        this.components = components;
        this.schedule = schedule;
        this.dim = components.get(0).mean().length;
    }

    /** The same data under another SDE. */
    ExactScore under(Schedules other) {
        return new ExactScore(components, other);
    }

    List<Component> components() {
        return components;
    }

    /** A 2-D rotation by {@code angle} as Q. */
    static double[][] rotation(double angle) {
        return new double[][] {{Math.cos(angle), -Math.sin(angle)}, {Math.sin(angle), Math.cos(angle)}};
    }

    /** Three unequal components in 2-D, one of them rotated: no symmetry the samplers could lean on. */
    static ExactScore threeBlobs(Schedules schedule) {
        List<Component> c = new ArrayList<>();
        c.add(new Component(0.5, new double[] {-1.5, -1.0}, rotation(0), new double[] {0.25, 0.25}));
        c.add(new Component(0.3, new double[] {1.5, 0.5}, rotation(0.6), new double[] {0.04, 0.64}));
        c.add(new Component(0.2, new double[] {0.0, 2.5}, rotation(0), new double[] {0.36, 0.09}));
        return new ExactScore(c, schedule);
    }

    /** n draws from the (unperturbed) mixture. */
    double[][] sample(int n, Rng rng) {
        double[][] out = new double[n][dim];
        for (int i = 0; i < n; i++) {
            double u = rng.nextDouble();
            Component chosen = components.get(components.size() - 1);
            for (Component c : components) {
                if (u < c.weight()) {
                    chosen = c;
                    break;
                }
                u -= c.weight();
            }
            double[] g = new double[dim];
            for (int k = 0; k < dim; k++) {
                g[k] = Math.sqrt(chosen.variances()[k]) * rng.nextGaussian();
            }
            for (int j = 0; j < dim; j++) {
                out[i][j] = chosen.mean()[j];
                for (int k = 0; k < dim; k++) {
                    out[i][j] += chosen.q()[j][k] * g[k];
                }
            }
        }
        return out;
    }

    /** The score of the marginal at time t at point x. */
    double[] score(double[] x, double t) {
        double a = schedule.a(t);
        double std = schedule.std(t);
        int count = components.size();
        double[] logTerms = new double[count];
        double[][] scores = new double[count][dim];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < count; c++) {
            Component comp = components.get(c);
            // In Q's basis the covariance is diagonal: a^2 lambda_k + std^2.
            double[] y = new double[dim];
            double quadratic = 0;
            double logDet = 0;
            for (int k = 0; k < dim; k++) {
                double projected = 0;
                for (int j = 0; j < dim; j++) {
                    projected += comp.q()[j][k] * (x[j] - a * comp.mean()[j]);
                }
                double variance = a * a * comp.variances()[k] + std * std;
                y[k] = projected / variance;
                quadratic += projected * y[k];
                logDet += Math.log(variance);
            }
            for (int j = 0; j < dim; j++) {
                for (int k = 0; k < dim; k++) {
                    scores[c][j] -= comp.q()[j][k] * y[k];
                }
            }
            logTerms[c] = Math.log(comp.weight()) - 0.5 * quadratic - 0.5 * logDet;
            max = Math.max(max, logTerms[c]);
        }
        double total = 0;
        double[] r = new double[count];
        for (int c = 0; c < count; c++) {
            r[c] = Math.exp(logTerms[c] - max);
            total += r[c];
        }
        double[] out = new double[dim];
        for (int c = 0; c < count; c++) {
            for (int j = 0; j < dim; j++) {
                out[j] += r[c] / total * scores[c][j];
            }
        }
        return out;
    }

    /** log density of the marginal at time t at point x. */
    double logDensity(double[] x, double t) {
        double a = schedule.a(t);
        double std = schedule.std(t);
        double total = 0;
        for (Component comp : components) {
            double quadratic = 0;
            double logDet = 0;
            for (int k = 0; k < dim; k++) {
                double projected = 0;
                for (int j = 0; j < dim; j++) {
                    projected += comp.q()[j][k] * (x[j] - a * comp.mean()[j]);
                }
                double variance = a * a * comp.variances()[k] + std * std;
                quadratic += projected * projected / variance;
                logDet += Math.log(variance);
            }
            total += comp.weight() * Math.exp(-0.5 * quadratic - 0.5 * logDet - 0.5 * dim * Math.log(2 * Math.PI));
        }
        return Math.log(total);
    }

    @Override
    public NDArray apply(NDArray x, NDArray label) {
        double[] flat = x.toType(DataType.FLOAT64, false).toDoubleArray();
        double[] labels = label.toType(DataType.FLOAT64, false).toDoubleArray();
        int n = labels.length;
        double[] out = new double[n * dim];
        double[] row = new double[dim];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * dim, row, 0, dim);
            double t = schedule.timeOfLabel(labels[i]);
            double[] s = score(row, t);
            double factor = schedule.outputPerScore(t);
            for (int j = 0; j < dim; j++) {
                out[i * dim + j] = s[j] * factor;
            }
        }
        return x.getManager().create(out, new Shape(n, dim)).toType(x.getDataType(), false);
    }

    /**
     * The same score as NDArray operations, differentiable in x (for the likelihood's
     * vector-Jacobian products); every row must carry the same label.
     */
    Network differentiable() {
        return (x, label) -> {
            NDManager manager = x.getManager();
            double t = schedule.timeOfLabel(label.toType(DataType.FLOAT64, false).getDouble(0));
            double a = schedule.a(t);
            double std = schedule.std(t);
            List<NDArray> logTerms = new ArrayList<>();
            List<NDArray> scores = new ArrayList<>();
            for (Component comp : components) {
                double[][] precision = new double[dim][dim];
                double logDet = 0;
                for (int k = 0; k < dim; k++) {
                    double variance = a * a * comp.variances()[k] + std * std;
                    logDet += Math.log(variance);
                    for (int i = 0; i < dim; i++) {
                        for (int j = 0; j < dim; j++) {
                            precision[i][j] += comp.q()[i][k] * comp.q()[j][k] / variance;
                        }
                    }
                }
                double[] shifted = comp.mean().clone();
                for (int j = 0; j < dim; j++) {
                    shifted[j] *= a;
                }
                NDArray diff = x.sub(manager.create(shifted).toType(x.getDataType(), false));
                NDArray score = diff.matMul(pfgm.Arrays2.matrix(manager, precision).toType(x.getDataType(), false)).neg();
                logTerms.add(diff.mul(score).sum(new int[] {1}, true)
                        .add(manager.create(2 * Math.log(comp.weight()) - logDet).toType(x.getDataType(), false)));
                scores.add(score);
            }
            NDArray r = NDArrays.concat(new NDList(logTerms), 1).div(manager.create(2.0).toType(x.getDataType(), false))
                    .softmax(1);
            NDArray total = null;
            for (int c = 0; c < scores.size(); c++) {
                NDArray term = scores.get(c).mul(r.get(":, " + c + ":" + (c + 1)));
                total = total == null ? term : total.add(term);
            }
            return total.mul(manager.create(schedule.outputPerScore(t)).toType(x.getDataType(), false));
        };
    }
}
