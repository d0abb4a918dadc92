package pfgm.official;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import pfgm.ManagedArrays;
import pfgm.io.NumPy;
import pfgm.nn.NetworkConfig;
import pfgm.nn.Networks;
import pfgm.util.Weights;

/**
 * The kit's DDPM++ and NCSN++ loaded from converted official checkpoints give the official
 * network's outputs. The fixtures (environment/checkpoints/make_fixture.py) are small networks of the
 * official CIFAR-10 configs (nf 8, ch_mult (1, 2), 8 x 8 images) with random weights, converted by
 * convert_official.py, and the official models/ncsnpp.py's outputs at fixed (x, z) in train=False
 * mode, with the model weights and with the EMA weights (which differ from them).
 */
class OfficialNetworkTest extends ManagedArrays {
    /** Largest |kit - official| over the largest |official|, per network and weight set. */
    static final double TOLERANCE = 1e-4;

    @TempDir
    Path dir;

    static Path fixture(String name) {
        try {
            return Path.of(OfficialNetworkTest.class.getResource("/pfgm/official/" + name).toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The network with the checkpoint's model or EMA weights. */
    static Block load(OfficialCheckpoint checkpoint, NetworkConfig config, boolean ema) {
        Block network = Networks.build(config, 1);
        network.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(config.sampleShape()), new Shape(1));
        Map<String, NDArray> weights = checkpoint.weights(config, network, ema);
        network.getParameters().forEach(p -> Weights.copy(weights.get(p.getKey()), p.getValue().getArray()));
        return network;
    }

    static double relativeError(NDArray got, NDArray expected) {
        NDArray e = expected.toType(DataType.FLOAT64, false);
        return got.toType(DataType.FLOAT64, false).sub(e).abs().max().getDouble() / e.abs().max().getDouble();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ddpmpp", "ncsnpp", "ddpmpp_deep"})
    void theKitsNetworkGivesTheOfficialOutputs(String name) {
        OfficialCheckpoint checkpoint = OfficialCheckpoint.read(manager, fixture(name + ".npz"));
        NetworkConfig config = checkpoint.network();
        Map<String, NDArray> io = NumPy.readAll(manager, fixture(name + "-io.npz"));
        NDArray x = io.get("x");
        NDArray z = io.get("z");
        Map<String, Double> errors = new LinkedHashMap<>();
        for (boolean ema : new boolean[] {false, true}) {
            Block network = load(checkpoint, config, ema);
            NDArray got = network.forward(new ParameterStore(manager, false), new NDList(x, z), false).singletonOrThrow();
            NDArray expected = io.get(ema ? "ema_out" : "model_out");
            assertEquals(expected.getShape(), got.getShape());
            errors.put(ema ? "ema" : "model", relativeError(got, expected));
            // The check can fail: the other weight set's official outputs are far from these.
            assertTrue(relativeError(got, io.get(ema ? "model_out" : "ema_out")) > 100 * TOLERANCE);
        }
        System.out.printf("official %s (%s, %s embedding, %d blocks per level): max relative error %s%n", name, config.kind(),
                config.embedding(), config.numResBlocks(), errors);
        errors.forEach((weights, error) -> assertTrue(error <= TOLERANCE, name + " " + weights + " weights: " + error));
    }

    @Test
    void theConfigsDescribeTheNetworksOfTheOfficialCifarConfigs() {
        NetworkConfig ddpmpp = OfficialCheckpoint.read(manager, fixture("ddpmpp.npz")).network();
        NetworkConfig ncsnpp = OfficialCheckpoint.read(manager, fixture("ncsnpp.npz")).network();
        NetworkConfig deep = OfficialCheckpoint.read(manager, fixture("ddpmpp_deep.npz")).network();
        assertEquals(NetworkConfig.Kind.DDPMPP, ddpmpp.kind());
        assertEquals(NetworkConfig.Embedding.POSITIONAL, ddpmpp.embedding());
        assertEquals(NetworkConfig.Kind.NCSNPP, ncsnpp.kind());
        assertEquals(NetworkConfig.Embedding.FOURIER, ncsnpp.embedding());
        assertEquals(NetworkConfig.Kind.DDPMPP, deep.kind());
        assertEquals(2, deep.numResBlocks());
        assertEquals(8, ncsnpp.nf());
        assertArrayEquals(new int[] {1, 2}, ncsnpp.chMult());
        assertArrayEquals(new int[] {4}, ncsnpp.attnResolutions());
        assertEquals(8, ncsnpp.imageSize());
        assertEquals(3, ncsnpp.channels());
    }

    /** Missing weights, wrong shapes and leftover weights are refused, naming the first such parameter. */
    @Test
    void aCheckpointThatDoesNotFitNamesTheFirstBadParameter() throws Exception {
        Map<String, NDArray> arrays = NumPy.readAll(manager, fixture("ddpmpp.npz"));
        NetworkConfig config = OfficialCheckpoint.read(manager, fixture("ddpmpp.npz")).network();
        Block network = Networks.build(config, 1);
        network.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(config.sampleShape()), new Shape(1));

        Map<String, NDArray> missing = new LinkedHashMap<>(arrays);
        missing.remove("model/all_modules.4.Conv_0.weight");
        missing.remove("model/all_modules.6.NIN_1.W");
        var e = assertThrows(IllegalArgumentException.class, () -> read(missing, "missing").weights(config, network, false));
        assertTrue(e.getMessage().startsWith("parameter all_modules.4.Conv_0.weight (the kit's 05down0_resample_02conv1_weight"),
                e.getMessage());

        Map<String, NDArray> reshaped = new LinkedHashMap<>(arrays);
        reshaped.put("ema/all_modules.6.NIN_1.W", manager.zeros(new Shape(16, 8)));
        e = assertThrows(IllegalArgumentException.class, () -> read(reshaped, "reshaped").weights(config, network, true));
        assertTrue(e.getMessage().startsWith("parameter all_modules.6.NIN_1.W has shape (16, 8) in the EMA weights"),
                e.getMessage());
        read(reshaped, "reshaped-model").weights(config, network, false); // the model weights are fine

        Map<String, NDArray> extra = new LinkedHashMap<>(arrays);
        extra.put("model/all_modules.99.Conv_0.weight", manager.zeros(new Shape(2)));
        e = assertThrows(IllegalArgumentException.class, () -> read(extra, "extra").weights(config, network, false));
        assertTrue(e.getMessage().contains("first all_modules.99.Conv_0.weight"), e.getMessage());
    }

    private OfficialCheckpoint read(Map<String, NDArray> arrays, String name) throws java.io.IOException {
        Path file = dir.resolve(name + ".npz");
        NumPy.writeAll(file, arrays);
        return OfficialCheckpoint.read(manager, file);
    }
}
