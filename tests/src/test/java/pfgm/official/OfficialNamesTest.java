package pfgm.official;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import pfgm.nn.NetworkConfig;
import pfgm.nn.Networks;

/**
 * The official names cover the full-size networks of the paper's presets both ways: every parameter of the kit's
 * network has an official state_dict key of the matching shape and kind, and every official key
 * (but the VE noise table "sigmas") is some kit parameter's. The key lists were written by
 * environment/checkpoints/make_fixture.py from the official models/ncsnpp.py built with the
 * official configs/poisson/*.py, and (sde_*) by make_sde_fixture.py from score-SDE's, built with its
 * configs/vp, configs/ve *_continuous.py (its sub-VP configs build the VP networks): the same keys
 * but for the output layer, which has C channels (the score) where PFGM's has C + 1 (v_z), and
 * NCSN++ with 8 blocks per level, which the PFGM configs do not build.
 */
class OfficialNamesTest {
    record Key(Shape shape, String kind) {}

    static Stream<Arguments> networks() {
        return Stream.of(Arguments.of("cifar10_ddpmpp", "cifar10_ddpmpp", 1),
                Arguments.of("cifar10_ddpmpp_deep", "cifar10_ddpmpp_deep", 1),
                Arguments.of("cifar10_ncsnpp", "cifar10_ncsnpp", 1),
                Arguments.of("celeba64_ddpmpp", "celeba64_ddpmpp", 1),
                Arguments.of("bedroom_ddpmpp", "bedroom_ddpmpp", 1),
                Arguments.of("sde_cifar10_ddpmpp", "cifar10_vp_ddpmpp", 0),
                Arguments.of("sde_cifar10_ddpmpp", "cifar10_subvp_ddpmpp", 0),
                Arguments.of("sde_cifar10_ddpmpp_deep", "cifar10_vp_ddpmpp_deep", 0),
                Arguments.of("sde_cifar10_ddpmpp_deep", "cifar10_subvp_ddpmpp_deep", 0),
                Arguments.of("sde_cifar10_ncsnpp", "cifar10_ve_ncsnpp", 0),
                Arguments.of("sde_cifar10_ncsnpp_deep", "cifar10_ve_ncsnpp_deep", 0));
    }

    /**
     * The same layers at an eighth of the image size, attention moved along (at 16 of 256 is at 2
     * of 32): parameter shapes do not depend on the image size, and the 256 x 256 network takes
     * half a minute to initialize here.
     */
    static NetworkConfig eighthSize(NetworkConfig c) {
        assertEquals(256, c.imageSize());
        return new NetworkConfig(c.kind(), c.channels(), c.imageSize() / 8, c.nf(), c.chMult(), c.numResBlocks(),
                java.util.Arrays.stream(c.attnResolutions()).map(r -> r / 8).toArray(), c.dropout(), c.embedding(),
                c.fourierScale());
    }

    static Map<String, Key> officialKeys(String name) throws Exception {
        Path file = Path.of(OfficialNamesTest.class.getResource("/pfgm/official/" + name + ".keys.txt").toURI());
        Map<String, Key> keys = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] parts = line.split(" ");
            long[] dims = java.util.Arrays.stream(parts[1].split(",")).mapToLong(Long::parseLong).toArray();
            keys.put(parts[0], new Key(new Shape(dims), parts[2]));
        }
        return keys;
    }

    /** The network of the preset's method (C + 1 outputs for PFGM, C for the SDEs); bedroom's at an eighth of its size. */
    @ParameterizedTest
    @MethodSource("networks")
    void everyParameterHasItsOfficialNameAndEveryOfficialKeyIsUsed(String name, String presetName, int extraOutputs)
            throws Exception {
        Map<String, Key> official = officialKeys(name);
        pfgm.config.Preset preset = pfgm.config.Presets.named(presetName);
        assertEquals(extraOutputs, preset.method() == pfgm.config.MethodType.PFGM ? 1 : 0, presetName);
        NetworkConfig config = preset.network().imageSize() == 256 ? eighthSize(preset.network()) : preset.network();
        try (NDManager manager = NDManager.newBaseManager()) {
            Block network = Networks.build(config, extraOutputs);
            network.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(config.sampleShape()), new Shape(1));
            List<OfficialNames.Entry> entries = OfficialNames.of(config, network);
            assertEquals(network.getParameters().size(), entries.size());
            Set<String> used = new HashSet<>();
            for (OfficialNames.Entry e : entries) {
                Key key = official.get(e.official());
                assertNotNull(key, e.key() + " maps to " + e.official() + ", which the official network lacks");
                assertEquals(key.shape(), e.layout().officialShape(e.shape()), e.key() + " -> " + e.official());
                assertEquals(e.trainable() ? "trainable" : "frozen", key.kind(), e.key() + " -> " + e.official());
                assertTrue(used.add(e.official()), e.official() + " is the name of two kit parameters");
            }
            for (Map.Entry<String, Key> k : official.entrySet()) {
                assertTrue(used.contains(k.getKey()) || OfficialNames.IGNORED.contains(k.getKey()) && k.getValue().kind().equals("buffer"),
                        "official " + k.getKey() + " is no kit parameter's");
            }
            System.out.printf("%s (%s): %d kit parameters <-> %d official keys (+ %d ignored buffers)%n", name, presetName,
                    entries.size(),
                    used.size(), official.size() - used.size());
        }
    }
}
