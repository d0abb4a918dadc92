package pfgm.kernel;

import java.util.List;

/** The cell was stopped by an interrupt (the notebook's stop button, or interrupt_request). */
final class CellInterruptedException extends CellError {
    CellInterruptedException() {
        super("the cell was interrupted", List.of("Interrupted: the cell was stopped; what it defined before stays."));
    }
}
