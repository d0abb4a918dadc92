package pfgm.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** A toy grid's rows judged both ways against their own fresh data, and named by their cell. */
class ToyScorerTest {
    @Test
    void onlyTheRowsOutsideTheBarAreNamedWithWhatMissed() {
        Table rows = Table.create("toy",
                StringColumn.create("train.seed", "42", "43", "44", "45"),
                // 42 passes; 43 is 0.2 nats too concentrated; 44 has 10 points too few near a centre; 45 fails MMD
                DoubleColumn.create("mean_log_density", -2.0, -1.8, -2.1, -2.0),
                DoubleColumn.create("data_log_density", -2.0, -2.0, -2.0, -2.0),
                DoubleColumn.create("within_2sd", 0.95, 0.95, 0.85, 0.96),
                DoubleColumn.create("data_within_2sd", 0.95, 0.95, 0.95, 0.95),
                DoubleColumn.create("mmd2", 0.0, 0.0, 0.0, 0.01),
                DoubleColumn.create("p_value", 0.5, 0.5, 0.5, 0.01));
        assertEquals(List.of(
                "train.seed=43: mean log-density +0.200 nats from the data's (too concentrated)",
                "train.seed=44: share within 2 sd -0.100 from the data's (off the modes)",
                "train.seed=45: MMD test rejects (p = 0.010)"), ToyScorer.misses(rows, List.of("train.seed")));
    }
}
