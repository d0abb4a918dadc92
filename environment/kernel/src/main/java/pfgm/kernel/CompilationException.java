package pfgm.kernel;

import java.util.List;

/** The cell does not compile: where and why, with the line quoted. */
final class CompilationException extends CellError {
    CompilationException(String message, List<String> report) {
        super(message, report);
    }
}
