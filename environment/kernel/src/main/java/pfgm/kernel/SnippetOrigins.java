package pfgm.kernel;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where each snippet JShell ran came from, so that a stack frame JShell calls "#12:3" can say
 * "cell [4], line 7" and quote the line, also for a method a cell defined long before.
 */
final class SnippetOrigins {
    private record Origin(CellText cell, int firstLine) {}

    private final Map<String, Origin> byId = new HashMap<>();

    void record(String snippetId, CellText cell, int firstLine) {
        byId.put(snippetId, new Origin(cell, firstLine));
    }

    /** "cell [4], line 7: the line", for line {@code lineInSnippet} of snippet {@code snippetId}. */
    Optional<String> locate(String snippetId, int lineInSnippet) {
        Origin origin = byId.get(snippetId);
        if (origin == null) {
            return Optional.empty();
        }
        int line = origin.firstLine() + lineInSnippet - 1;
        return Optional.of(origin.cell().where(line) + ": " + origin.cell().line(line).strip());
    }
}
