package pfgm.method.pfgm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import pfgm.nn.Network;
import pfgm.util.Scalars;

/**
 * PFGM's preconditioning for low-dimensional data: the model is the normalized field of one charge
 * at the origin (the data's centre) plus a correction the network learns. With x in R^N and
 * rho^2 = ||x||^2 + z^2:
 * <pre>
 *   v(x, z) = sqrt(N) g0 / (||g0|| + gamma) + F(x / sqrt(1 + rho^2 / scale^2), z),   g0 = -(x, z),
 * </pre>
 * where F is the network, fed x squeezed into the ball of radius {@code scale}.
 *
 * <p>Why (toy2d): PFGM's prior and perturbation kernel put points up to tens of data radii away
 * from the data (||x|| up to about 70 on eight Gaussians of radius 2.8), and an MLP fed raw x over
 * that range learns the far field and a rotationally symmetric field near the ring, but not the
 * eight clusters: its tangential field at z = 0.3 on the ring was 0.01 where the exact one is 0.4.
 * Far away the field is that of a point charge, which this supplies exactly; the network's target
 * there is close to 0 and its input bounded, so its capacity goes where the data are. Either
 * change alone did not make the clusters learnable; both did. Gradients flow to x as well
 * (arithmetic through {@link Scalars}), so the likelihood's divergence works through it.
 *
 * @param network F, on (x (b, N), z (b)) returning (b, N+1)
 * @param scale the radius of the ball x is squeezed into; about twice the data's norm
 * @param gamma the field normalization's gamma, as in training
 */
public record PointChargePreconditioning(Network network, double scale, double gamma) implements Network {
    public PointChargePreconditioning {
        if (!(scale > 0) || !(gamma >= 0)) {
            throw new IllegalArgumentException("need scale > 0 and gamma >= 0, got " + scale + ", " + gamma);
        }
    }

    /** The normalized field of one charge at the origin at points (x, z): sqrt(N) g0 / (||g0|| + gamma), g0 = -(x, z). */
    public static NDArray pointChargeField(NDArray x, NDArray z, double gamma) {
        long n = x.getShape().get(1);
        NDArray g0 = NDArrays.concat(new NDList(x, z.reshape(-1, 1)), 1).neg();
        NDArray norm = g0.norm(new int[] {1}, true);
        return Scalars.times(g0, Math.sqrt(n)).div(norm.add(Scalars.of(norm, gamma)));
    }

    /** x / sqrt(1 + (||x||^2 + z^2) / scale^2): the identity near the origin, radius below {@code scale} everywhere. */
    NDArray squeeze(NDArray x, NDArray z) {
        NDArray rhoSquared = x.square().sum(new int[] {1}, true).add(z.reshape(-1, 1).square());
        NDArray factor = Scalars.times(rhoSquared, 1 / (scale * scale));
        return x.div(factor.add(Scalars.of(factor, 1)).sqrt());
    }

    @Override
    public NDArray apply(NDArray x, NDArray z) {
        if (x.getShape().dimension() != 2) {
            throw new IllegalArgumentException("point-charge preconditioning takes vectors (b, N), got " + x.getShape());
        }
        NDArray correction = network.apply(squeeze(x, z), z);
        return correction.add(pointChargeField(x, z, gamma).toType(correction.getDataType(), false));
    }
}
