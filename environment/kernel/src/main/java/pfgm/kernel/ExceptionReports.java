package pfgm.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.UnresolvedReferenceException;

/**
 * Turns an exception a cell threw into a short report: the exception, the library frames above
 * the cell's code (a long run of them cut), and the cell's own frames as "cell [n], line m".
 */
final class ExceptionReports {
    /** Consecutive frames outside the notebook's code shown before "... n more". */
    private static final int FRAMES_PER_RUN = 8;
    private static final int CAUSES = 5;
    private static final Pattern JSHELL_WRAPPER = Pattern.compile("REPL\\.\\$JShell\\$\\d+[.$]");

    private ExceptionReports() {}

    static EvaluationException of(JShellException thrown, JShell shell, SnippetOrigins origins) {
        if (thrown instanceof UnresolvedReferenceException unresolved) {
            DeclarationSnippet snippet = unresolved.getSnippet();
            String message = snippet.name() + " cannot run until "
                    + String.join(", ", shell.unresolvedDependencies(snippet).toList()) + " is declared";
            return new EvaluationException(message, List.of(message));
        }
        List<String> report = new ArrayList<>();
        String headline = describe(thrown);
        report.add(headline);
        addFrames(thrown.getStackTrace(), origins, report);
        Throwable cause = thrown.getCause();
        for (int i = 0; cause != null && i < CAUSES; i++, cause = cause.getCause()) {
            report.add("Caused by: " + describe(cause));
            addFrames(cause.getStackTrace(), origins, report);
        }
        return new EvaluationException(headline, report);
    }

    private static String describe(Throwable thrown) {
        // JShell passes the notebook's exception on by class name: its class may live only in a cell
        String type = thrown instanceof EvalException eval ? eval.getExceptionClassName() : thrown.getClass().getName();
        return thrown.getMessage() == null ? type : type + ": " + withoutWrapperNames(thrown.getMessage());
    }

    /** Helpful NullPointerExceptions name a cell's variable "REPL.$JShell$20.s"; the notebook calls it s. */
    private static String withoutWrapperNames(String message) {
        return JSHELL_WRAPPER.matcher(message).replaceAll("");
    }

    private static void addFrames(StackTraceElement[] frames, SnippetOrigins origins, List<String> report) {
        int shown = frames.length; // what lies below the cell's outermost frame is JShell's machinery
        while (shown > 0 && !isSnippet(frames[shown - 1])) {
            shown--;
        }
        if (shown == 0) {
            shown = frames.length; // not thrown by a cell's thread: all of it, runs cut
        }
        int run = 0;
        for (int i = 0; i < shown; i++) {
            if (isSnippet(frames[i])) {
                run = 0;
                report.add("    at " + describeSnippetFrame(frames[i], origins));
            } else if (++run <= FRAMES_PER_RUN) {
                report.add("    at " + frames[i]);
            } else if (i + 1 == shown || isSnippet(frames[i + 1])) {
                report.add("    ... " + (run - FRAMES_PER_RUN) + " more");
            }
        }
    }

    /** JShell names a snippet's frames by file "#id" and the line within the snippet. */
    private static boolean isSnippet(StackTraceElement frame) {
        return frame.getFileName() != null && frame.getFileName().startsWith("#");
    }

    private static String describeSnippetFrame(StackTraceElement frame, SnippetOrigins origins) {
        String id = frame.getFileName().substring(1);
        String where = origins.locate(id, frame.getLineNumber()).orElse(frame.getFileName() + ":" + frame.getLineNumber());
        String className = frame.getClassName();
        // a lambda's synthetic name (lambda$do_it$$0) says only that it is one
        String methodName = frame.getMethodName().startsWith("lambda$") ? "lambda" : frame.getMethodName();
        String method = className.isEmpty()
                ? methodName
                : className.substring(className.lastIndexOf('$') + 1) + "." + methodName;
        return method.isEmpty() ? where : method + ", " + where;
    }
}
