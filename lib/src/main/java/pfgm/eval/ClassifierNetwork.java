package pfgm.eval;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The digit classifiers' architecture and weights: 28 x 28 grey images centred to [-1, 1], two 3 x 3
 * convolutions (16 and 32 filters, ReLU, 2 x 2 max pooling), a 128-unit ReLU layer (the features)
 * and a 10-class linear head behind dropout 0.3. The weights are float32 (206,922 values, 0.8 MB on
 * disk); how they are used, in float64 or for training in float32, is the caller's choice of
 * {@link ParameterStore}.
 */
final class ClassifierNetwork implements AutoCloseable {
    static final int FEATURES = 128;
    static final int SIZE = 28;
    private final NDManager manager;
    private final SequentialBlock features;
    private final SequentialBlock head;

    /**
     * A network on {@code device} with weights drawn from the PyTorch engine's generator (seed it
     * first for a reproducible start; the CPU's and a GPU's generators draw different weights).
     */
    ClassifierNetwork(Device device) {
        manager = NDManager.newBaseManager(device);
        features = new SequentialBlock()
                .add(conv(16)).add(Activation.reluBlock()).add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(conv(32)).add(Activation.reluBlock()).add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(FEATURES).build()).add(Activation.reluBlock());
        head = new SequentialBlock().add(Dropout.builder().optRate(0.3f).build()).add(Linear.builder().setUnits(10).build());
        features.initialize(manager, DataType.FLOAT32, new Shape(1, 1, SIZE, SIZE));
        head.initialize(manager, DataType.FLOAT32, new Shape(1, FEATURES));
    }

    private static Conv2d conv(int filters) {
        return Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(filters).build();
    }

    /**
     * The network on {@code device} whose weights {@code bytes} hold (as {@link #bytes} wrote them);
     * {@code source} names the file in the message when they are not such weights.
     */
    static ClassifierNetwork read(byte[] bytes, String source, Device device) {
        ClassifierNetwork network = new ClassifierNetwork(device);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            network.features.loadParameters(network.manager, in);
            network.head.loadParameters(network.manager, in);
            if (in.read() >= 0) {
                throw new MalformedModelException("bytes left after the last layer");
            }
        } catch (MalformedModelException | IOException | IllegalArgumentException e) {
            network.close();
            throw new IllegalArgumentException(source + " is not a digit classifier's weights file as pfgm features train"
                    + " writes it (" + e.getMessage() + ")", e);
        }
        return network;
    }

    /** The weights in DJL's parameter format, the features' layers then the head's: the bytes a weights file holds. */
    byte[] bytes() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            features.saveParameters(out);
            head.saveParameters(out);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory", e);
        }
        return buffer.toByteArray();
    }

    /** The 128 penultimate-layer activations of centred images (b, 1, 28, 28), in the type of the store's weights. */
    NDArray features(ParameterStore store, NDArray centred, boolean training) {
        return features.forward(store, new NDList(centred), training).singletonOrThrow();
    }

    /** The 10 class logits of {@link #features}. */
    NDArray logits(ParameterStore store, NDArray features, boolean training) {
        return head.forward(store, new NDList(features), training).singletonOrThrow();
    }

    /** Every weight, named by its block ("features/..." or "head/..."), for an optimizer. */
    List<Pair<String, Parameter>> parameters() {
        List<Pair<String, Parameter>> parameters = new ArrayList<>();
        features.getParameters().forEach(p -> parameters.add(new Pair<>("features/" + p.getKey(), p.getValue())));
        head.getParameters().forEach(p -> parameters.add(new Pair<>("head/" + p.getKey(), p.getValue())));
        return parameters;
    }

    NDManager manager() {
        return manager;
    }

    @Override
    public void close() {
        manager.close();
    }
}
