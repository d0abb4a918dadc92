package pfgm.kernel;

import java.util.Optional;

/**
 * Runs code the way a cell runs: its magic lines first, then its Java. A cell that is only magic
 * lines shows the last magic's value ({@code %load}'s last expression, {@code %lsmagic}'s list).
 */
final class CellRunner {
    private final CellEvaluator evaluator;
    private final Magics magics;

    CellRunner(CellEvaluator evaluator, Magics magics) {
        this.evaluator = evaluator;
        this.magics = magics;
    }

    Optional<Object> run(CellText cell) throws CellError {
        Magics.Ran ran = magics.run(cell);
        if (evaluator.interrupted()) {
            throw new CellInterruptedException(); // stopped while a magic line ran: its Java must not start
        }
        return ran.java().code().isBlank() ? ran.value() : evaluator.eval(ran.java());
    }
}
