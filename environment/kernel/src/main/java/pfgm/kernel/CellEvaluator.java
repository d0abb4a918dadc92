package pfgm.kernel;

import io.github.spencerpark.jupyter.kernel.ReplacementOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.Snippet.Status;
import jdk.jshell.Snippet.SubKind;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import jdk.jshell.SourceCodeAnalysis.CompletionInfo;
import jdk.jshell.SourceCodeAnalysis.Documentation;
import jdk.jshell.SourceCodeAnalysis.Suggestion;
import jdk.jshell.VarSnippet;

/**
 * Runs cells with JShell inside the kernel's JVM: a cell is split into snippets (statements,
 * declarations, expressions) that run one after the other, and the object the last one evaluates
 * to, if it is an expression, is the cell's result.
 */
final class CellEvaluator implements AutoCloseable {
    private final InProcessEngine engine = new InProcessEngine();
    private final JShell shell;
    private final SourceCodeAnalysis analysis;
    private final SnippetOrigins origins = new SnippetOrigins();
    private volatile boolean interrupted;

    /** A JShell that compiles against {@code classPath}, the class path the kernel itself runs on. */
    CellEvaluator(String classPath) {
        shell = JShell.builder().executionEngine(engine, Map.of()).build();
        analysis = shell.sourceCodeAnalysis();
        // Snippets load through a child of the kernel's class loader, so a class on both paths is
        // one class: the Notebook a cell calls is the one the kernel attached to.
        shell.addToClasspath(classPath);
    }

    void addToClasspath(String path) {
        shell.addToClasspath(path);
    }

    /** Lets Shift-Tab read Javadoc from these source folders and jars too ({@link JavadocSources}). */
    boolean readJavadocFrom(List<Path> sources) {
        return JavadocSources.attach(analysis, sources);
    }

    /** A new cell begins: an interrupt from now on stops it (also while its magic lines run). */
    void startCell() {
        interrupted = false;
    }

    boolean interrupted() {
        return interrupted;
    }

    /** Runs {@code cell}; its result is the value of its last snippet when that is an expression. */
    Optional<Object> eval(CellText cell) throws CellError {
        String code = cell.code();
        String rest = code;
        Object value = null;
        while (!interrupted) {
            CompletionInfo info = analysis.analyzeCompletion(rest);
            int start = code.length() - rest.length();
            if (info.completeness() == Completeness.EMPTY) {
                break;
            }
            if (!info.completeness().isComplete()) {
                throw CompilationErrors.incomplete(cell, start + leadingBlankLength(rest));
            }
            rest = info.remaining();
            value = evalSnippet(info.source(), cell, start);
        }
        if (interrupted) {
            throw new CellInterruptedException();
        }
        return Optional.ofNullable(value);
    }

    /** Evaluates one snippet that starts at {@code start} in the cell; returns its value or null. */
    private Object evalSnippet(String source, CellText cell, int start) throws CellError {
        // JShell numbers a snippet's lines wrongly when it starts with blank lines
        int blank = leadingBlankLength(source);
        int offset = start + blank;
        Object value = null;
        for (SnippetEvent event : shell.eval(source.substring(blank))) {
            if (event.causeSnippet() != null) {
                continue; // a snippet defined earlier changed status because of this one
            }
            Snippet snippet = event.snippet();
            origins.record(snippet.id(), cell, cell.lineAt(offset));
            if (!event.status().isDefined()) {
                throw CompilationErrors.of(shell, snippet, cell, offset);
            }
            if (event.exception() != null) {
                // Interrupted, code ends with whatever it throws (InterruptedException from a sleep,
                // the trainer's CancellationException): the cell was stopped, which is what to say.
                throw interrupted ? new CellInterruptedException() : ExceptionReports.of(event.exception(), shell, origins);
            }
            value = valueOf(snippet);
        }
        return value;
    }

    private Object valueOf(Snippet snippet) {
        if (snippet instanceof VarSnippet variable && snippet.subKind() == SubKind.TEMP_VAR_EXPRESSION_SUBKIND) {
            return engine.valueOf(shell, variable); // an expression JShell kept as $N
        }
        if (snippet instanceof ExpressionSnippet expression && snippet.subKind() == SubKind.VAR_VALUE_SUBKIND) {
            return shell.variables() // a cell ending with a variable's name shows its value
                    .filter(variable -> variable.name().equals(expression.name()))
                    .filter(variable -> shell.status(variable) == Status.VALID)
                    .findFirst()
                    .map(variable -> engine.valueOf(shell, variable))
                    .orElse(null);
        }
        return null;
    }

    /** Length of the whitespace before the line that holds the first non-blank character. */
    private static int leadingBlankLength(String code) {
        int firstCode = 0;
        while (firstCode < code.length() && Character.isWhitespace(code.charAt(firstCode))) {
            firstCode++;
        }
        return code.lastIndexOf('\n', firstCode - 1) + 1;
    }

    /** Tab completion at {@code cursor}; JShell reads the cell up to there, declarations included. */
    ReplacementOptions complete(String code, int cursor) {
        int[] anchor = new int[1];
        List<String> candidates = analysis.completionSuggestions(code, cursor, anchor).stream()
                .map(Suggestion::continuation)
                .distinct() // overloads complete to the same text
                .toList();
        return new ReplacementOptions(candidates, anchor[0], cursor);
    }

    /**
     * JShell's documentation of what is at {@code cursor}: the element named there, or the
     * candidates of the call whose parentheses hold it. JShell reads one snippet up to the cursor,
     * so the cell's earlier snippets are cut off first.
     */
    List<Documentation> documentation(String code, int cursor) {
        int start = 0;
        String rest = code;
        while (true) {
            CompletionInfo info = analysis.analyzeCompletion(rest);
            int end = code.length() - info.remaining().length();
            if (!info.completeness().isComplete() || info.remaining().isBlank() || end >= cursor) {
                break; // the snippet from start holds the cursor
            }
            start = end;
            rest = info.remaining();
        }
        return analysis.documentation(code.substring(start, cursor), cursor - start, true);
    }

    /** Whether {@code code} is whole: COMPLETE, one of the incompletenesses, or UNKNOWN (invalid). */
    Completeness completeness(String code) {
        String rest = code;
        while (true) {
            CompletionInfo info = analysis.analyzeCompletion(rest);
            Completeness completeness = info.completeness();
            if (completeness == Completeness.EMPTY) {
                return Completeness.COMPLETE;
            }
            if (completeness == Completeness.UNKNOWN || !completeness.isComplete()) {
                return completeness;
            }
            rest = info.remaining();
        }
    }

    /** Stops the running cell (from another thread): its current snippet and those after it. */
    void interrupt() {
        interrupted = true;
        shell.stop();
    }

    @Override
    public void close() {
        shell.close();
    }
}
