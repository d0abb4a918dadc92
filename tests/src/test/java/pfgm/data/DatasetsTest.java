package pfgm.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading by name: where each set is looked for and what a missing one says. */
class DatasetsTest {
    @TempDir
    Path dir;

    @Test
    void missingPackagedSetNamesTheFetchCommand() {
        try (NDManager manager = NDManager.newBaseManager()) {
            for (String name : new String[] {"mnist", "fashion"}) {
                String message = assertThrows(IllegalArgumentException.class,
                        () -> Datasets.load(manager, name, dir, Split.TEST)).getMessage();
                assertTrue(message.contains("environment/fetch-data") && message.contains("t10k-images-idx3-ubyte"), message);
            }
        }
    }

    @Test
    void gzippedAndPlainIdxAreBothFound() throws Exception {
        Path mnist = Files.createDirectories(dir.resolve("mnist"));
        IdxTest.gzip(mnist.resolve("train-images-idx3-ubyte.gz"), IdxTest.imagesFile(0x00000803));
        Files.write(mnist.resolve("train-labels-idx1-ubyte"), IdxTest.labelsFile(IdxTest.COUNT));
        try (NDManager manager = NDManager.newBaseManager(); ImageData data = Datasets.load(manager, "mnist", dir, Split.TRAIN)) {
            assertEquals(IdxTest.COUNT, data.size());
        }
    }

    @Test
    void cifarAndUnknownNamesAreExplained() {
        try (NDManager manager = NDManager.newBaseManager()) {
            String cifar = assertThrows(IllegalArgumentException.class,
                    () -> Datasets.load(manager, "cifar10", dir, Split.TRAIN)).getMessage();
            assertTrue(cifar.contains(dir.resolve("cifar10").toString()) && cifar.contains("README"), cifar);
            String other = assertThrows(IllegalArgumentException.class,
                    () -> Datasets.load(manager, "imagenet", dir, Split.TRAIN)).getMessage();
            assertTrue(other.contains("folder:"), other);
        }
    }

    @Test
    void dataDirectoryIsTheKitsDataFolder() {
        assertTrue(Files.isRegularFile(Datasets.dataDirectory().resolve("README.md")));
    }
}
