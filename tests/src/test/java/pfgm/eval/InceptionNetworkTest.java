package pfgm.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pfgm.io.NumPy;

/**
 * InceptionNetwork on tiny TorchScript stand-ins made by environment/inception/make_fixture.py,
 * whose expected outputs Python computed from the raw pixels the way pytorch-fid preprocesses
 * them (x / 255, interpolate bilinear align_corners=False to 299 x 299, 2 x - 1).
 */
class InceptionNetworkTest {
    static NDManager manager;
    static Map<String, NDArray> fixture;

    @TempDir
    Path dir;

    @BeforeAll
    static void readFixture() throws Exception {
        manager = NDManager.newBaseManager(Device.cpu());
        fixture = NumPy.readAll(manager, resource("inception-fixture.npz"));
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    static Path resource(String name) throws Exception {
        return Path.of(InceptionNetworkTest.class.getResource("/pfgm/eval/" + name).toURI());
    }

    static double[][] expected(String name) {
        NDArray a = fixture.get(name);
        int rows = (int) a.getShape().get(0);
        int cols = (int) a.getShape().get(1);
        double[] flat = a.toType(DataType.FLOAT64, false).toDoubleArray();
        double[][] out = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(flat, i * cols, out[i], 0, cols);
        }
        return out;
    }

    static NDArray pixels(String batch) {
        return fixture.get(batch + "_pixels").toType(DataType.FLOAT32, false); // the contract: float32 in [0, 255]
    }

    static void assertClose(double[][] expected, double[][] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what + " rows");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i].length, actual[i].length, what + " columns");
            for (int k = 0; k < expected[i].length; k++) {
                double e = expected[i][k];
                assertEquals(e, actual[i][k], tolerance * Math.max(1, Math.abs(e)), what + "[" + i + "][" + k + "]");
            }
        }
    }

    /** Gray 16 x 16 and RGB 32 x 32 are enlarged; 320 x 200 is shrunk in height, enlarged in width. */
    @Test
    void featuresAndProbabilitiesMatchPythonForEveryBatch() throws Exception {
        try (InceptionNetwork net = InceptionNetwork.load(resource("inception-fixture.pt"), Device.cpu())) {
            assertEquals("inception", net.name());
            // sha256sum of the fixture; custom, as every Inception file: the kit commits none
            assertEquals("inception-custom@1be980633e86", net.identity().toString());
            assertEquals("1be980633e863470797e8ec4463e7fc467d406ed59d1233cc28c017de81de5fb", net.identity().sha256());
            for (String batch : new String[] {"gray", "rgb", "large"}) {
                ImageFeatures.Batch out = net.apply(pixels(batch));
                assertClose(expected(batch + "_features"), out.features(), 1e-4, batch + " features");
                assertClose(expected(batch + "_probabilities"), out.probabilities(), 1e-4, batch + " probabilities");
                for (double[] p : out.probabilities()) {
                    assertEquals(1, java.util.Arrays.stream(p).sum(), 1e-12);
                }
            }
        }
    }

    @Test
    void uint8PixelsAreConvertedAndTheInputIsLeftAlone() throws Exception {
        try (InceptionNetwork net = InceptionNetwork.load(resource("inception-fixture.pt"), Device.cpu());
                NDManager local = NDManager.newBaseManager(Device.cpu())) {
            NDArray raw = fixture.get("rgb_pixels").duplicate();
            raw.attach(local);
            ImageFeatures.Batch out = net.apply(raw);
            assertClose(expected("rgb_features"), out.features(), 1e-4, "rgb features from uint8");
            assertEquals(DataType.UINT8, raw.getDataType());
            assertTrue(!raw.isReleased());
            assertEquals(1, local.getManagedArrays().size(), "apply leaves no arrays behind in the caller's manager");
        }
    }

    @Test
    void aFeaturesOnlyModuleGivesNoProbabilitiesAndTheInceptionScoreSaysWhy() throws Exception {
        try (InceptionNetwork net = InceptionNetwork.load(resource("inception-fixture-features-only.pt"), Device.cpu())) {
            ImageFeatures.Batch out = net.apply(pixels("gray")); // (b, 8, 1, 1) features
            assertClose(expected("gray_features"), out.features(), 1e-4, "features-only features");
            assertNull(out.probabilities());
            FeatureSet set = FeatureSet.extract(net, pixels("gray"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InceptionScore.of(set.probabilities()));
            assertTrue(e.getMessage().contains("Inception score"), e.getMessage());
            assertTrue(e.getMessage().contains("(features, logits)"), e.getMessage());
        }
    }

    static void assertExplains(IllegalArgumentException e, String... parts) {
        String m = e.getMessage();
        for (String part : parts) {
            assertTrue(m.contains(part), "message lacks '" + part + "': " + m);
        }
        for (String part : new String[] {"cannot download", "export_pytorch_fid.py", "pytorch-fid",
                "--features inception:PATH", "PFGM_INCEPTION"}) {
            assertTrue(m.contains(part), "message lacks '" + part + "': " + m);
        }
    }

    @Test
    void neitherOptionNorEnvironmentSaysWhatIsMissing() {
        assertExplains(assertThrows(IllegalArgumentException.class, () -> InceptionNetwork.locate(null, null)),
                "not set");
        assertExplains(assertThrows(IllegalArgumentException.class, () -> InceptionNetwork.locate(" ", "")),
                "not set");
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("inception.pt");
        assertExplains(assertThrows(IllegalArgumentException.class,
                () -> InceptionNetwork.locate(missing.toString(), null)), missing.toString(), "does not exist");
        assertExplains(assertThrows(IllegalArgumentException.class,
                () -> InceptionNetwork.locate(null, missing.toString())), missing.toString(), "PFGM_INCEPTION");
        assertExplains(assertThrows(IllegalArgumentException.class,
                () -> InceptionNetwork.locate(dir.toString(), null)), "not a readable file");
        assertExplains(assertThrows(IllegalArgumentException.class,
                () -> InceptionNetwork.load(missing, Device.cpu())), "does not exist");
    }

    @Test
    void theOptionWinsOverTheEnvironment() throws Exception {
        Path file = resource("inception-fixture.pt");
        assertEquals(file, InceptionNetwork.locate(file.toString(), dir.resolve("other.pt").toString()));
        assertEquals(file, InceptionNetwork.locate(null, file.toString()));
    }

    @Test
    void aFileThatIsNotTorchScriptIsRefusedClearly() throws Exception {
        Path notScript = dir.resolve("weights.pt");
        Files.writeString(notScript, "these are not TorchScript weights\n");
        assertExplains(assertThrows(IllegalArgumentException.class,
                () -> InceptionNetwork.load(notScript, Device.cpu())), notScript.toString(), "not a TorchScript module");
        // a NumPy archive is a zip file too, but not a TorchScript one
        assertExplains(assertThrows(IllegalArgumentException.class,
                () -> InceptionNetwork.load(resource("inception-fixture.npz"), Device.cpu())), "not a TorchScript module");
    }
}
