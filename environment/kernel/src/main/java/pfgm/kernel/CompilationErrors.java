package pfgm.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;

/** Turns what JShell says about a snippet it could not define into a report that quotes the cell. */
final class CompilationErrors {
    private CompilationErrors() {}

    /** A snippet starting at {@code offset} in {@code cell} was rejected or left undefined. */
    static CompilationException of(JShell shell, Snippet snippet, CellText cell, int offset) {
        List<String> report = new ArrayList<>();
        shell.diagnostics(snippet).filter(Diag::isError).forEach(diag -> describe(diag, cell, offset, report));
        if (snippet instanceof DeclarationSnippet declaration) {
            List<String> missing = shell.unresolvedDependencies(declaration).toList();
            if (!missing.isEmpty()) {
                int line = cell.lineAt(offset);
                report.add(cell.where(line) + ": " + declaration.name() + " needs " + String.join(", ", missing)
                        + ", which no cell has declared yet");
                report.add("    " + cell.line(line));
            }
        }
        if (report.isEmpty()) {
            report.add(cell.where(cell.lineAt(offset)) + ": JShell cannot define this snippet");
        }
        return new CompilationException(report.get(0), report);
    }

    /** The code from {@code offset} on cannot become a complete snippet. */
    static CompilationException incomplete(CellText cell, int offset) {
        int line = cell.lineAt(offset);
        String headline = cell.where(line) + ": incomplete code from here on (a missing ';', ')' or '}'?)";
        return new CompilationException(headline, List.of(headline, "    " + cell.line(line)));
    }

    private static void describe(Diag diag, CellText cell, int offset, List<String> report) {
        long position = diag.getStartPosition() >= 0 ? diag.getStartPosition() : Math.max(0, diag.getPosition());
        int start = offset + (int) position;
        int line = cell.lineAt(start);
        String text = cell.line(line);
        int column = Math.min(cell.columnAt(start), text.length());
        int width = (int) Math.max(1, Math.min(diag.getEndPosition() - position, text.length() - column));

        List<String> message = diag.getMessage(Locale.ROOT).lines().toList();
        report.add(cell.where(line) + ": " + message.get(0));
        report.add("    " + text);
        report.add("    " + " ".repeat(column) + "^".repeat(width));
        message.stream().skip(1).map(String::strip)
                // JShell wraps snippets in a class without a name worth showing
                .filter(detail -> !detail.equals("location: class"))
                .forEach(detail -> report.add("    " + detail));
    }
}
