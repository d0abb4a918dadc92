package pfgm.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A CSV file that grows one row at a time (results that several commands append to), rewritten atomically. */
public final class CsvRows {
    private CsvRows() {}

    /**
     * Appends {@code row} (column -> value; NaN and null are written empty), writing the header first
     * when the file is new; a file with other columns is refused.
     */
    public static void append(Path csv, Map<String, ?> row) throws IOException {
        String header = String.join(",", row.keySet());
        List<String> lines = Files.exists(csv) ? new ArrayList<>(Files.readAllLines(csv)) : new ArrayList<>();
        if (lines.isEmpty()) {
            lines.add(header);
        } else if (!lines.get(0).equals(header)) {
            throw new IllegalArgumentException(csv + " has columns " + lines.get(0) + ", not " + header
                    + " (another kind of results, or a file from before rows carried their provenance); give another "
                    + "--results file");
        }
        List<String> fields = new ArrayList<>();
        row.values().forEach(v -> fields.add(field(v)));
        lines.add(String.join(",", fields));
        if (csv.toAbsolutePath().getParent() != null) {
            Files.createDirectories(csv.toAbsolutePath().getParent());
        }
        AtomicFiles.write(csv, out -> out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8)));
    }

    private static String field(Object value) {
        if (value == null || value instanceof Double d && d.isNaN()) {
            return "";
        }
        String text = value.toString();
        return text.contains(",") || text.contains("\"") ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }
}
