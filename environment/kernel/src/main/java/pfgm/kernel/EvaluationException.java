package pfgm.kernel;

import java.util.List;

/** The cell threw: the exception and a stack trace cut to the library frames and the cell's lines. */
final class EvaluationException extends CellError {
    EvaluationException(String message, List<String> report) {
        super(message, report);
    }
}
