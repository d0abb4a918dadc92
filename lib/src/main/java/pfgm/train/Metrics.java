package pfgm.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import pfgm.io.AtomicFiles;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/** The training log: one row per logged step, kept as a Tablesaw table and saved as CSV. */
public final class Metrics {
    public static final String FILE = "metrics.csv";
    private final Table table;

    /** One logged step. */
    public record Row(int step, double loss, double lr, double gradNorm, double seconds) {}

    public Metrics() {
        table = Table.create("training",
                IntColumn.create("step"), DoubleColumn.create("loss"), DoubleColumn.create("lr"),
                DoubleColumn.create("grad_norm"), DoubleColumn.create("seconds"));
    }

    /** The rows of an earlier run's CSV up to {@code lastStep}, so a resumed run continues its log. */
    public static Metrics resume(Path workdir, long lastStep) throws IOException {
        Metrics metrics = new Metrics();
        Path file = workdir.resolve(FILE);
        if (Files.exists(file)) {
            Table old = Table.read().csv(file.toFile());
            for (int i = 0; i < old.rowCount(); i++) {
                int step = old.intColumn("step").getInt(i);
                if (step <= lastStep) {
                    metrics.add(new Row(step, old.numberColumn("loss").getDouble(i), old.numberColumn("lr").getDouble(i),
                            old.numberColumn("grad_norm").getDouble(i), old.numberColumn("seconds").getDouble(i)));
                }
            }
        }
        return metrics;
    }

    public void add(Row row) {
        table.intColumn("step").append(row.step());
        table.doubleColumn("loss").append(row.loss());
        table.doubleColumn("lr").append(row.lr());
        table.doubleColumn("grad_norm").append(row.gradNorm());
        table.doubleColumn("seconds").append(row.seconds());
    }

    public Table table() {
        return table;
    }

    /** The last {@code n} losses, oldest first. */
    public double[] lastLosses(int n) {
        double[] all = table.doubleColumn("loss").asDoubleArray();
        return java.util.Arrays.copyOfRange(all, Math.max(0, all.length - n), all.length);
    }

    public void save(Path workdir) throws IOException {
        AtomicFiles.write(workdir.resolve(FILE), out -> table.write().csv(out));
    }
}
