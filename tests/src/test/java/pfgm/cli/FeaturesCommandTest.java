package pfgm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pfgm.cli.PfgmCommandTest.expectError;
import static pfgm.cli.PfgmCommandTest.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pfgm.ManagedArrays;
import pfgm.data.Datasets;
import pfgm.data.Split;
import pfgm.eval.FeatureIdentity;
import pfgm.io.NumPy;

/** pfgm features train, and the feature identities pfgm eval writes in its rows. */
class FeaturesCommandTest extends ManagedArrays {
    @TempDir
    Path dir;

    /**
     * Weights from a few training steps are written with their SHA-256 and test accuracy; eval
     * rows name them custom by that hash, and the committed classifier by its own.
     */
    @Test
    void trainedWeightsAreScoredUnderTheirOwnIdentity() throws Exception {
        Path weights = dir.resolve("mine.params");
        PfgmCommandTest.Run train = run("features", "train", "--data", "mnist", "--out", weights.toString(), "--steps", "3");
        assertEquals(0, train.exitCode(), train.err());
        String sha256 = FeatureIdentity.sha256(Files.readAllBytes(weights));
        assertTrue(train.out().contains("SHA-256 " + sha256) && train.out().contains("test accuracy")
                && train.out().contains("--features mnist:" + weights), train.out());
        Path real = dir.resolve("real.npy");
        NumPy.write(real, Datasets.load(manager, "mnist", Split.TRAIN).images().get("0:100"));
        Path csv = dir.resolve("eval.csv");
        for (String features : List.of("mnist", "mnist:" + weights)) {
            Path stats = dir.resolve("stats.npz");
            assertEquals(0, run("stats", "--data", "mnist", "--n", "200", "--features", features, "--out", stats.toString()).exitCode());
            PfgmCommandTest.Run eval = run("eval", "--samples", real.toString(), "--data", "mnist", "--features", features,
                    "--reference-stats", stats.toString(), "--metrics", "fid", "--results", csv.toString());
            assertEquals(0, eval.exitCode(), eval.err());
        }
        var rows = tech.tablesaw.api.Table.read().csv(csv.toFile());
        assertEquals(List.of("mnist-classifier@60a80699a2d3", "mnist-classifier-custom@" + sha256.substring(0, 12)),
                rows.stringColumn("features").asList());
    }

    @Test
    void badInputGetsOneLine() throws Exception {
        Path real = dir.resolve("real.npy");
        NumPy.write(real, Datasets.load(manager, "mnist", Split.TEST).images().get("0:5"));
        expectError(run("features", "train", "--data", "cifar10", "--out", dir.resolve("x").toString()), "mnist and fashion, not 'cifar10'");
        expectError(run("features", "train", "--data", "mnist", "--out", dir.resolve("x").toString(), "--steps", "0"),
                "at least 1 step");
        expectError(run("eval", "--samples", real.toString(), "--data", "mnist", "--features", "mnist:"
                + dir.resolve("absent.params")), "no classifier weights at");
    }
}
