package pfgm.kernel;

import io.github.spencerpark.jupyter.kernel.display.Renderer;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Tablesaw tables as an HTML table (text front ends get Tablesaw's own printout). A long table
 * shows its head and tail, as pandas does: a results table of a million rows must not reach the
 * browser whole.
 */
final class TableDisplay {
    private static final int HEAD_ROWS = 20;
    private static final int TAIL_ROWS = 10;

    private TableDisplay() {}

    static void register(Renderer renderer) {
        renderer.createRegistration(Table.class)
                .preferring(MIMEType.TEXT_HTML)
                .register((table, context) -> context.renderIfRequested(MIMEType.TEXT_HTML, () -> html(table)));
    }

    private static String html(Table table) {
        // A caption is as wide as its table: unwrapped, a narrow table's "n rows x m columns" breaks in two.
        StringBuilder html = new StringBuilder("<table>\n<caption style=\"white-space: nowrap\">");
        if (table.name() != null && !table.name().isBlank()) {
            html.append(escape(table.name())).append(": ");
        }
        html.append(table.rowCount()).append(" rows &times; ").append(table.columnCount()).append(" columns</caption>\n<thead><tr>");
        for (String name : table.columnNames()) {
            html.append("<th>").append(escape(name)).append("</th>");
        }
        html.append("</tr></thead>\n<tbody>\n");
        boolean cut = table.rowCount() > HEAD_ROWS + TAIL_ROWS;
        for (int row = 0; row < table.rowCount(); row++) {
            if (cut && row == HEAD_ROWS) {
                html.append("<tr>").append("<td>&hellip;</td>".repeat(table.columnCount())).append("</tr>\n");
                row = table.rowCount() - TAIL_ROWS;
            }
            html.append("<tr>");
            for (Column<?> column : table.columns()) {
                html.append("<td>").append(escape(column.getString(row))).append("</td>");
            }
            html.append("</tr>\n");
        }
        return html.append("</tbody>\n</table>").toString();
    }

    private static String escape(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
