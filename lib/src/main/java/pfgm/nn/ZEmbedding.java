package pfgm.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * Embeddings of the height z. The official PFGM networks feed z itself to the sinusoidal
 * (positional) embedding of DDPM and log z to the Gaussian Fourier projection of NCSN++.
 */
public final class ZEmbedding {
    private ZEmbedding() {}

    /**
     * DDPM's sinusoidal embedding of t (b) into (b, dim): sin and cos of t * 10000^(-k / (dim/2 - 1)).
     */
    public static NDArray sinusoidal(NDArray t, int dim) {
        int half = dim / 2;
        double step = Math.log(10000) / (half - 1);
        NDArray frequencies = t.getManager().arange(half).toType(t.getDataType(), false).mul(-step).exp();
        NDArray arguments = t.reshape(-1, 1).mul(frequencies.reshape(1, half));
        return NDArrays.concat(new NDList(arguments.sin(), arguments.cos()), 1);
    }

    /**
     * Gaussian Fourier features (Tancik et al.): a fixed random W ~ N(0, scale^2), not trained;
     * output [sin(2 pi x W), cos(2 pi x W)] of width 2 * size.
     */
    public static final class Fourier extends AbstractBlock {
        private final Parameter w;

        public Fourier(int size, float scale) {
            w = addParameter(Parameter.builder().setName("W").setType(Parameter.Type.WEIGHT).optShape(new Shape(size))
                    .optInitializer(new NormalInitializer(scale)).optRequiresGrad(false).build());
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray x = inputs.singletonOrThrow();
            NDArray projected = x.reshape(-1, 1).mul(ps.getValue(w, x.getDevice(), training).reshape(1, -1)).mul(2 * Math.PI);
            return new NDList(NDArrays.concat(new NDList(projected.sin(), projected.cos()), 1));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {new Shape(inputShapes[0].get(0), 2 * w.getShape().get(0))};
        }
    }
}
