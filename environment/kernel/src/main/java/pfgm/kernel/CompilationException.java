package pfgm.kernel;

import java.util.List;

/** The cell does not compile (or a magic line is wrong): where and why, with the line quoted. */
final class CompilationException extends CellError {
    CompilationException(String message, List<String> report) {
        super(message, report);
    }
}
