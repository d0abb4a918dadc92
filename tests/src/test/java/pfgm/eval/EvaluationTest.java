package pfgm.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pfgm.io.CsvRows;
import pfgm.util.Rng;

class EvaluationTest {
    @TempDir
    Path dir;

    /** Gaussian features with a shift, and one-hot predictions spread over 5 classes. */
    static FeatureSet set(int n, double shift, long seed) {
        Rng rng = new Rng(seed);
        double[][] f = new double[n][4];
        double[][] p = new double[n][5];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 4; k++) {
                f[i][k] = rng.nextGaussian() + shift;
            }
            p[i][i % 5] = 1;
        }
        return new FeatureSet(f, p);
    }

    @Test
    void scoresFollowTheirDefinitions() {
        FeatureSet real = set(400, 0, 1);
        FeatureSet generated = set(400, 1, 2);
        var all = Evaluation.Metric.parse("fid, IS,kid,pr");
        Evaluation.Scores s = Evaluation.of(all, generated, Evaluation.Reference.of(real), new Rng(0));
        assertEquals(Fid.distance(generated.stats(), real.stats()), s.fid(), 1e-12);
        assertEquals(5, s.inceptionScore(), 1e-9);
        assertTrue(s.kid() > 0.01 && s.precision() < 0.9, s.toString());
        Evaluation.Scores fidOnly = Evaluation.of(EnumSet.of(Evaluation.Metric.FID), generated,
                Evaluation.Reference.of(real.stats()), new Rng(0));
        assertEquals(s.fid(), fidOnly.fid(), 1e-12);
        assertTrue(Double.isNaN(fidOnly.kid()) && Double.isNaN(fidOnly.inceptionScore()));
    }

    /**
     * One Reference keeps the real manifold between calls: scoring two different sample sets against it
     * gives what a fresh Reference and the uncached precision/recall give for each.
     */
    @Test
    void aReusedReferenceScoresEverySampleSetAsAFreshOne() {
        FeatureSet real = set(300, 0, 1);
        var reused = Evaluation.Reference.of(real);
        var pr = Evaluation.Metric.parse("pr");
        for (double shift : new double[] {0.3, 1.5}) {
            FeatureSet generated = set(200, shift, 7);
            Evaluation.Scores again = Evaluation.of(pr, generated, reused, new Rng(0));
            Evaluation.Scores fresh = Evaluation.of(pr, generated, Evaluation.Reference.of(real), new Rng(0));
            PrecisionRecall.Result direct = PrecisionRecall.of(real.features(), generated.features(), 3);
            assertEquals(direct.precision(), again.precision(), 0);
            assertEquals(direct.recall(), again.recall(), 0);
            assertEquals(fresh.precision(), again.precision(), 0);
            assertEquals(fresh.recall(), again.recall(), 0);
        }
    }

    /** Predictions 0, 1, 2, 1 (the largest probability of each row) against labels 0, 1, 1, 1: 3 of 4. */
    @Test
    void accuracyCountsTheMostProbableClassAgainstTheLabel() {
        double[][] p = {{0.6, 0.3, 0.1}, {0.2, 0.5, 0.3}, {0.1, 0.2, 0.7}, {0.4, 0.45, 0.15}};
        FeatureSet set = new FeatureSet(new double[4][2], p);
        assertEquals(0.75, set.accuracy(new int[] {0, 1, 1, 1}), 0);
        var e = assertThrows(IllegalArgumentException.class, () -> set.accuracy(new int[] {0, 1}));
        assertTrue(e.getMessage().contains("2 labels for 4 images"), e.getMessage());
    }

    @Test
    void statisticsAloneServeOnlyFidAndIs() {
        var e = assertThrows(IllegalArgumentException.class, () -> Evaluation.of(Evaluation.Metric.parse("fid,kid"),
                set(50, 0, 1), Evaluation.Reference.of(set(50, 0, 2).stats()), new Rng(0)));
        assertTrue(e.getMessage().contains("KID and precision/recall need"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Evaluation.Metric.parse("fid,lpips"));
        assertTrue(e.getMessage().contains("'lpips'"), e.getMessage());
    }

    @Test
    void rowsAppendToOneCsvThatTablesawReads() throws Exception {
        Path csv = dir.resolve("eval.csv");
        Evaluation.Scores s = Evaluation.of(EnumSet.of(Evaluation.Metric.FID), set(50, 0, 1),
                Evaluation.Reference.of(set(50, 0.5, 2)), new Rng(0));
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("source", "runs/a, b");
        row.putAll(s.columns());
        CsvRows.append(csv, row);
        CsvRows.append(csv, row);
        var table = tech.tablesaw.api.Table.read().csv(csv.toFile());
        assertEquals(2, table.rowCount());
        assertEquals("runs/a, b", table.stringColumn("source").get(1));
        assertEquals(s.fid(), table.doubleColumn("fid").get(0), 1e-12);
        Map<String, Object> other = Map.of("model", "x");
        var e = assertThrows(IllegalArgumentException.class, () -> CsvRows.append(csv, other));
        assertTrue(e.getMessage().contains("another --results"), e.getMessage());
        assertEquals(3, Files.readAllLines(csv).size(), "the refused row left the file as it was");
    }
}
