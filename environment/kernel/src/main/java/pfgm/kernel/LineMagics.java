package pfgm.kernel;

import io.github.spencerpark.jupyter.kernel.util.GlobFinder;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Lines starting with % at the top of a cell, run by the kernel before the cell's Java. One magic
 * exists: {@code %classpath <path-or-glob>...} (alias {@code %jars}) adds jars or class folders to
 * the notebook's class path. Only the top of a cell counts: further down, a line may begin with
 * Java's % operator.
 */
final class LineMagics {
    private final Consumer<String> addToClasspath;

    LineMagics(Consumer<String> addToClasspath) {
        this.addToClasspath = addToClasspath;
    }

    /** Runs the cell's magic lines; returns the cell with them blanked, so offsets and line numbers stay. */
    CellText run(CellText cell) throws CompilationException {
        String code = cell.code();
        for (int start : magicLineStarts(code)) {
            String line = lineAt(code, start).strip();
            String[] words = line.substring(1).strip().split("\\s+");
            if (!words[0].equals("classpath") && !words[0].equals("jars")) {
                throw error(cell, start, "unknown magic %" + words[0] + " (the kernel knows %classpath, alias %jars)");
            }
            if (words.length == 1) {
                throw error(cell, start, "%" + words[0] + " needs a path or a glob, e.g. %classpath lib/*.jar");
            }
            for (String glob : Arrays.copyOfRange(words, 1, words.length)) {
                addMatches(glob, cell, start);
            }
        }
        return new CellText(cell.number(), blank(code));
    }

    /** The code with its magic lines replaced by spaces, without running them. */
    static String blank(String code) {
        StringBuilder blanked = new StringBuilder(code);
        for (int start : magicLineStarts(code)) {
            for (int i = start; i < start + lineAt(code, start).length(); i++) {
                blanked.setCharAt(i, ' ');
            }
        }
        return blanked.toString();
    }

    private void addMatches(String glob, CellText cell, int lineStart) throws CompilationException {
        String expanded = glob.startsWith("~/") ? System.getProperty("user.home") + glob.substring(1) : glob;
        List<Path> matches = new ArrayList<>();
        try {
            new GlobFinder(expanded).computeMatchingPaths().forEach(matches::add);
        } catch (NoSuchFileException e) {
            // a folder of the glob is missing: nothing matches
        } catch (IOException e) {
            throw error(cell, lineStart, "cannot list " + glob + ": " + e);
        }
        if (matches.isEmpty()) {
            throw error(cell, lineStart, "no jar or folder matches " + glob
                    + " (relative paths start at " + Path.of("").toAbsolutePath() + ")");
        }
        matches.forEach(path -> addToClasspath.accept(path.toAbsolutePath().normalize().toString()));
    }

    /** Offsets of the magic lines: those starting with % before the first line of Java. */
    private static List<Integer> magicLineStarts(String code) {
        List<Integer> starts = new ArrayList<>();
        for (int start = 0; start < code.length(); ) {
            String line = lineAt(code, start);
            if (line.strip().startsWith("%")) {
                starts.add(start);
            } else if (!line.isBlank()) {
                break;
            }
            start += line.length() + 1;
        }
        return starts;
    }

    private static String lineAt(String code, int start) {
        int end = code.indexOf('\n', start);
        return code.substring(start, end < 0 ? code.length() : end);
    }

    private static CompilationException error(CellText cell, int offset, String message) {
        int line = cell.lineAt(offset);
        String headline = cell.where(line) + ": " + message;
        return new CompilationException(headline, List.of(headline, "    " + cell.line(line)));
    }
}
