package pfgm.kernel;

import java.util.List;

/** A magic line could not do its work: what was wrong and how to put it right, in one line. */
final class MagicException extends CellError {
    MagicException(String message) {
        super(message, List.of(message));
    }

    private MagicException(String headline, List<String> report) {
        super(headline, report);
    }

    /** This failure told with the place of its line ("cell [3], line 1: ...") and the line quoted. */
    MagicException at(CellText cell, int line) {
        String headline = cell.where(line) + ": " + getMessage();
        return new MagicException(headline, List.of(headline, "    " + cell.line(line)));
    }
}
