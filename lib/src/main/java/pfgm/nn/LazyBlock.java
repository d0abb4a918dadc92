package pfgm.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * A composite block whose children learn their input shapes from one forward pass on zeros, so a
 * U-Net does not have to spell out the shape arithmetic of every layer for DJL's initialization.
 */
abstract class LazyBlock extends AbstractBlock {
    private NDManager initializing;

    /** Runs a child, initializing it first (during the block's own initialization) from its input. */
    protected final NDArray call(Block child, ParameterStore ps, NDArray input, boolean training) {
        return call(child, ps, new NDList(input), training);
    }

    /** A child that takes several inputs, such as a residual block's (x, embedding). */
    protected final NDArray call(Block child, ParameterStore ps, NDList inputs, boolean training) {
        if (!child.isInitialized()) {
            child.initialize(initializing, DataType.FLOAT32, inputs.getShapes());
        }
        return child.forward(ps, inputs, training).singletonOrThrow();
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        initializing = manager;
        try (NDManager scratch = manager.newSubManager()) {
            NDList zeros = new NDList();
            for (Shape shape : inputShapes) {
                zeros.add(scratch.ones(shape)); // ones, not zeros: z = 0 has no logarithm
            }
            forwardInternal(new ParameterStore(manager, false), zeros, false, null);
        } finally {
            initializing = null;
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " infers shapes by running forward");
    }
}
