package pfgm.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** Means, spreads and intervals over seeds, and the rule claims are judged by, against hand computations. */
class SpreadTest {
    /** {1, 2, 6}: mean 3, sd sqrt(7), t_{0.975, 2} = 4.302652729911275 (tables), half-width t sd / sqrt 3. */
    @Test
    void aSummaryHasTheSampleSdAndStudentsInterval() {
        Spread.Summary s = Spread.summary(new double[] {1, 2, 6});
        assertEquals(3, s.mean(), 1e-15);
        assertEquals(Math.sqrt(7), s.sd(), 1e-14);
        assertEquals(4.302652729911275 * Math.sqrt(7) / Math.sqrt(3), s.ci95(), 1e-9);
        Spread.Summary one = Spread.summary(new double[] {5});
        assertEquals(5, one.mean());
        assertTrue(Double.isNaN(one.sd()) && Double.isNaN(one.ci95()), "one value has no spread");
    }

    @Test
    void aTableIsSummarizedPerGroupOverTheRest() {
        Table rows = Table.create("grid", StringColumn.create("method", "pfgm", "pfgm", "pfgm", "vp", "vp", "vp"),
                StringColumn.create("train.seed", "1", "2", "3", "1", "2", "3"),
                DoubleColumn.create("fid", 10, 12, 14, 20, 20, 23));
        Table spread = Spread.of(rows, List.of("method"), List.of("fid"));
        assertEquals(List.of("pfgm", "vp"), spread.stringColumn("method").asList());
        assertEquals(List.of(3, 3), spread.intColumn("n").asList());
        assertEquals(12, spread.doubleColumn("fid_mean").get(0), 1e-12);
        assertEquals(2, spread.doubleColumn("fid_sd").get(0), 1e-12);
        assertEquals(21, spread.doubleColumn("fid_mean").get(1), 1e-12);
        assertEquals(new double[] {10, 12, 14}[2], Spread.values(rows, "fid", Map.of("method", "pfgm"))[2]);
    }

    /**
     * The rule: a difference counts when it exceeds twice its standard error, with three values a
     * side. pfgm {10, 12, 14} against vp {20, 20, 23}: difference -9, se sqrt(4/3 + 3/3) = 1.53.
     */
    @Test
    void theRuleNeedsTwoStandardErrorsAndThreeSeeds() {
        Spread.Comparison clear = Spread.compare(new double[] {10, 12, 14}, new double[] {20, 20, 23});
        assertEquals(-9, clear.difference(), 1e-12);
        assertEquals(Math.sqrt(4.0 / 3 + 3.0 / 3), clear.standardError(), 1e-12);
        assertEquals("pfgm lower", clear.verdict("pfgm", "vp"));
        Spread.Comparison close = Spread.compare(new double[] {10, 12, 14}, new double[] {11, 13, 16});
        assertTrue(close.verdict("pfgm", "vp").startsWith("no difference shown"), close.verdict("pfgm", "vp"));
        Spread.Comparison few = Spread.compare(new double[] {10, 12}, new double[] {20, 21});
        assertTrue(few.verdict("pfgm", "vp").startsWith("too few seeds"), few.verdict("pfgm", "vp"));
    }

    /** A chart over one seed must not promise error bars it cannot draw. */
    @Test
    void aSingleSeedIsTitledWithoutIntervals() {
        assertEquals("one training seed, no intervals", Spread.intervals(1));
        assertEquals("3 training seeds, 95% intervals", Spread.intervals(3));
    }
}
