package pfgm.kernel;

import java.util.List;

/**
 * Why a cell failed, told about the user's code: the kernel shows {@link #report()} as the
 * cell's error output. It is not a fault of the kernel, so it carries no stack trace of its own.
 */
abstract class CellError extends Exception {
    private final List<String> report;

    CellError(String message, List<String> report) {
        super(message, null, false, false);
        this.report = List.copyOf(report);
    }

    List<String> report() {
        return report;
    }
}
