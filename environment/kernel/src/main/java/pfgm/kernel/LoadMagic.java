package pfgm.kernel;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * {@code %load <file>}: runs a file of Java snippets as if it were the cell (magic lines at its top
 * included); the value of its last expression is the cell's result when the cell has no Java of
 * its own. Errors name the file and its line.
 */
final class LoadMagic implements Magic {
    /** Runs code the way a cell runs: its magic lines, then its Java. */
    interface Runner {
        Optional<Object> run(CellText code) throws CellError;
    }

    private final Runner runner;
    /** The files being loaded now, innermost first: a file that loads itself would never end. */
    private final Deque<Path> loading = new ArrayDeque<>();

    LoadMagic(Runner runner) {
        this.runner = runner;
    }

    @Override
    public List<String> names() {
        return List.of("load");
    }

    @Override
    public String usage() {
        return "%load <file>";
    }

    @Override
    public String summary() {
        return "runs a file of Java snippets (and magic lines at its top) as if it were the cell";
    }

    @Override
    public Optional<Object> run(String arguments) throws CellError {
        if (arguments.isEmpty()) {
            throw new MagicException("%load needs a file, e.g. %load helpers.jsh");
        }
        Path file = Path.of(MagicPaths.expandHome(arguments));
        if (!Files.isRegularFile(file)) {
            throw new MagicException("%load: no file " + arguments + " (relative paths start at " + MagicPaths.workingFolder() + ")");
        }
        Path identity = realPath(file);
        if (loading.contains(identity)) {
            List<String> chain = new ArrayList<>(); // outermost first
            loading.descendingIterator().forEachRemaining(path -> chain.add(path.toString()));
            chain.add(identity.toString());
            throw new MagicException("%load: " + arguments + " loads itself (" + String.join(" -> ", chain) + ")");
        }
        String code = read(file, arguments);
        loading.push(identity);
        try {
            return runner.run(CellText.file(file, code));
        } finally {
            loading.pop();
        }
    }

    private static Path realPath(Path file) throws MagicException {
        try {
            return file.toRealPath();
        } catch (IOException e) {
            throw new MagicException("%load: cannot read " + file + ": " + e.getMessage());
        }
    }

    private static String read(Path file, String asWritten) throws MagicException {
        try {
            return Files.readString(file);
        } catch (CharacterCodingException e) {
            throw new MagicException("%load: " + asWritten + " is not UTF-8 text");
        } catch (IOException e) {
            throw new MagicException("%load: cannot read " + asWritten + ": " + e.getMessage());
        }
    }
}
