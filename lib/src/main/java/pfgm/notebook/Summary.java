package pfgm.notebook;

import ai.djl.Device;
import java.io.IOException;
import java.util.Map;
import pfgm.run.Provenance;
import pfgm.run.Run;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A notebook's key numbers, one row per quantity, each with the provenance every results table of the
 * kit carries (the code, the run it came from and who trained it, the sampler, the machine):
 *
 * <pre>{@code
 * Summary.of("02_training", device).add("toy2d final loss", loss, toy).add("oracle NFE", nfe).save();
 * }</pre>
 */
public final class Summary {
    private final Device device;
    private final Table table;

    private Summary(String name, Device device) {
        this.device = device;
        table = Table.create(name, StringColumn.create("quantity"), DoubleColumn.create("value"));
        Provenance.COLUMNS.forEach(c -> table.addColumns(Provenance.NUMBERS.contains(c) ? DoubleColumn.create(c)
                : StringColumn.create(c)));
    }

    /** An empty summary named like its notebook ("02_training"); it saves as NAME_summary.csv. */
    public static Summary of(String name, Device device) {
        return new Summary(name, device);
    }

    /** A number of the notebook's own (no run behind it). */
    public Summary add(String quantity, double value) {
        return add(quantity, value, Provenance.here(device).columns());
    }

    /** A number about a run (its loss, its steps). */
    public Summary add(String quantity, double value, Run run) {
        return add(quantity, value, Provenance.here(device).run(run).columns());
    }

    /** A number taken from a row of a results table (an ablation's), which carries its own provenance. */
    public Summary add(String quantity, double value, Row results) {
        Map<String, Object> columns = Provenance.here(device).columns();
        columns.replaceAll((name, here) -> results.columnNames().contains(name) ? results.getObject(name) : here);
        return add(quantity, value, columns);
    }

    private Summary add(String quantity, double value, Map<String, Object> provenance) {
        table.stringColumn("quantity").append(quantity);
        table.doubleColumn("value").append(value);
        provenance.forEach((name, v) -> {
            if (table.column(name) instanceof DoubleColumn numbers) {
                numbers.append(v instanceof Number n ? n.doubleValue() : Double.NaN);
            } else {
                table.stringColumn(name).append(String.valueOf(v));
            }
        });
        return this;
    }

    public Table table() {
        return table;
    }

    /** Writes the table to NAME_summary.csv in the notebook's output folder ({@link Outputs}) and returns it. */
    public Table save() throws IOException {
        table.write().csv(Outputs.file(table.name().replaceFirst("^(\\d+)_.*", "$1") + "_summary.csv").toFile());
        return table;
    }
}
