package pfgm.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pfgm.ManagedArrays;
import pfgm.data.Datasets;
import pfgm.data.Split;

/** Feature specs, the identities they give, and the refusal of weights the kit does not know. */
class FeatureNetworksTest extends ManagedArrays {
    /** sha256sum of the committed files in lib/src/main/resources/pfgm/eval. */
    private static final String MNIST_SHA256 = "60a80699a2d3ca2442f2e05c26f68309a6df78fc44a56377aab7c14c5558e631";
    private static final String FASHION_SHA256 = "d0c0c5674bf05353756e593d48ab0afd821236955b828a35e535aa990d1a1626";

    @TempDir
    Path dir;

    /** FIPS 180-2's test vector for "abc", from a file and from memory. */
    @Test
    void sha256IsTheStandardOne() throws Exception {
        byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
        String expected = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assertEquals(expected, FeatureIdentity.sha256(abc));
        assertEquals(expected, FeatureIdentity.sha256(Files.write(dir.resolve("abc"), abc)));
    }

    @Test
    void identitiesHaveAShortFormForRows() {
        assertEquals("mnist-classifier@60a80699a2d3", new FeatureIdentity("mnist-classifier", MNIST_SHA256, false).toString());
        assertEquals("mnist-classifier-custom@60a80699a2d3", new FeatureIdentity("mnist-classifier", MNIST_SHA256, true).toString());
        var e = assertThrows(IllegalArgumentException.class, () -> new FeatureIdentity("x", "60A8", false));
        assertTrue(e.getMessage().contains("64 lower-case hex digits"), e.getMessage());
    }

    @Test
    void theCommittedClassifiersAreKnownByTheirHashes() {
        try (ImageFeatures mnist = FeatureNetworks.open("mnist", Device.cpu(), line -> {});
                ImageFeatures fashion = FeatureNetworks.open("fashion", Device.cpu(), line -> {})) {
            assertEquals(new FeatureIdentity("mnist-classifier", MNIST_SHA256, false), mnist.identity());
            assertEquals(new FeatureIdentity("fashion-classifier", FASHION_SHA256, false), fashion.identity());
            assertEquals("mnist-classifier", mnist.name());
        }
        assertEquals("mnist-classifier-60a80699a2d3.params", ClassifierWeights.fileName("mnist", MNIST_SHA256));
    }

    /** Bytes that are not the committed ones are refused as "mnist", with both hashes and the way out. */
    @Test
    void changedCommittedWeightsAreRefused() {
        byte[] changed = changedCopy(ClassifierWeights.committed("mnist").bytes());
        String hash = FeatureIdentity.sha256(changed);
        var e = assertThrows(IllegalStateException.class, () -> ClassifierWeights.committed("mnist", changed, "in the jar"));
        assertTrue(e.getMessage().contains(hash) && e.getMessage().contains(MNIST_SHA256), e.getMessage());
        assertTrue(e.getMessage().contains("--features mnist:PATH") && e.getMessage().contains("mnist-classifier-custom@"
                + hash.substring(0, 12)), e.getMessage());
    }

    /**
     * mnist:PATH with the committed bytes is the committed network, features and all; with other
     * weights (one training step from seed 1) it is custom, and its features are those weights'.
     */
    @Test
    void weightsNamedByPathAreCustomUnlessTheyAreTheCommittedOnes() throws Exception {
        byte[] committed = ClassifierWeights.committed("mnist").bytes();
        Path same = Files.write(dir.resolve("same.params"), committed);
        Path other = Files.write(dir.resolve("other.params"),
                ClassifierTraining.train(Datasets.load(manager, "mnist", Split.TRAIN), 1, 1, Device.cpu(), line -> {}));
        List<String> log = new ArrayList<>();
        NDArray images = Datasets.load(manager, "mnist", Split.TEST).images().get("0:10");
        try (ImageFeatures kit = FeatureNetworks.open("mnist", Device.cpu(), log::add);
                ImageFeatures copy = FeatureNetworks.open("mnist:" + same, Device.cpu(), log::add);
                ImageFeatures custom = FeatureNetworks.open("mnist:" + other, Device.cpu(), log::add)) {
            assertEquals(kit.identity(), copy.identity());
            assertTrue(custom.identity().custom());
            assertEquals(FeatureIdentity.sha256(Files.readAllBytes(other)), custom.identity().sha256());
            assertEquals(List.of("features: " + kit.identity(), "features: " + kit.identity(), "features: " + custom.identity()), log);
            double[][] expected = kit.apply(images).features();
            double[][] fromCopy = copy.apply(images).features();
            double[][] fromCustom = custom.apply(images).features();
            for (int i = 0; i < expected.length; i++) {
                assertArrayEquals(expected[i], fromCopy[i], 0);
            }
            assertFalse(java.util.Arrays.deepEquals(expected, fromCustom), "other weights, other features");
        }
    }

    @Test
    void badSpecsAndFilesGetOneClearMessage() throws Exception {
        expect(IllegalArgumentException.class, "resnet", "unknown features 'resnet': use mnist or fashion");
        expect(IllegalArgumentException.class, "mnist:", "name no file after the colon");
        expect(IllegalArgumentException.class, "mnist:" + dir.resolve("absent.params"), "pfgm features train --data mnist");
        Path garbage = Files.writeString(dir.resolve("garbage.params"), "not weights");
        expect(IllegalArgumentException.class, "fashion:" + garbage, "is not a digit classifier's weights file");
        Path longer = Files.write(dir.resolve("longer.params"), concat(ClassifierWeights.committed("mnist").bytes(), new byte[] {0}));
        expect(IllegalArgumentException.class, "mnist:" + longer, "bytes left after the last layer");
        var e = assertThrows(IllegalArgumentException.class, () -> ClassifierWeights.committedHash("cifar10"));
        assertTrue(e.getMessage().contains("mnist and fashion, not 'cifar10'"), e.getMessage());
    }

    private static void expect(Class<? extends Exception> type, String spec, String fragment) {
        var e = assertThrows(type, () -> FeatureNetworks.open(spec, Device.cpu(), line -> {}).close());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    /** A copy with one bit changed, in a weight of the 128-unit layer. */
    private static byte[] changedCopy(byte[] bytes) {
        byte[] copy = bytes.clone();
        copy[copy.length / 2] ^= 0x01;
        return copy;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
