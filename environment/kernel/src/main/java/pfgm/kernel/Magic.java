package pfgm.kernel;

import java.util.List;
import java.util.Optional;

/** A line magic: {@code %name arguments} on one of the first lines of a cell, run before its Java. */
interface Magic {
    /** Its name, then its aliases, without the %. */
    List<String> names();

    /** How to call it, e.g. {@code %load <file>}. */
    String usage();

    /** What it does, in one line (what %lsmagic and Shift-Tab show). */
    String summary();

    /**
     * Runs it with the text after its name (stripped); returns a value to show as the cell's result
     * when the cell has no Java of its own. A wrong argument is a {@link MagicException} that says
     * what was wrong; the registry adds where the line is.
     */
    Optional<Object> run(String arguments) throws CellError;
}
