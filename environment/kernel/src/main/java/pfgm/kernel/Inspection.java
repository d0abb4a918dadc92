package pfgm.kernel;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import jdk.jshell.SourceCodeAnalysis.Documentation;

/** What Shift-Tab shows for the code at the cursor: each candidate's signature and the first sentence of its Javadoc. */
final class Inspection {
    private Inspection() {}

    /** One block per candidate (overloads are several); {@code detail} gives the whole Javadoc. Empty when there is nothing. */
    static Optional<String> describe(List<Documentation> candidates, boolean detail) {
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(candidates.stream().map(candidate -> block(candidate, detail)).collect(Collectors.joining("\n\n")));
    }

    private static String block(Documentation candidate, boolean detail) {
        String javadoc = candidate.javadoc();
        if (javadoc == null || javadoc.isBlank()) {
            return candidate.signature();
        }
        String text = detail ? JavadocText.whole(javadoc) : JavadocText.firstSentence(javadoc);
        return text.isEmpty() ? candidate.signature() : candidate.signature() + "\n" + text;
    }
}
