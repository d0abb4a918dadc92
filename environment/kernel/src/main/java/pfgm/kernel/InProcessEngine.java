package pfgm.kernel;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Map;
import jdk.jshell.JShell;
import jdk.jshell.VarSnippet;
import jdk.jshell.execution.LocalExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * JShell's "local" execution engine (snippets run in the kernel's JVM, so they can call
 * {@link Notebook} and a cell's result can be rendered as a chart or a table), plus a way to get a
 * variable's value as the object itself (the standard engine only hands out its toString()), and
 * a stop that does not break the JVM ({@link SnippetThread}).
 */
final class InProcessEngine implements ExecutionControlProvider {
    private Control control;

    @Override
    public String name() {
        return "pfgm-local";
    }

    @Override
    public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
        control = new Control();
        return control;
    }

    /** The object a variable (a declared one or JShell's $N for an expression) holds now. */
    Object valueOf(JShell shell, VarSnippet variable) {
        shell.varValue(variable); // JShell resolves the snippet's class and calls Control.varValue
        return control.takeValue();
    }

    /**
     * LocalExecutionControl, whose varValue keeps the object for {@link #valueOf} instead of
     * formatting it (a large table's or array's toString() is work nobody reads), and whose
     * snippets run on a {@link SnippetThread}, which stops them where that is safe.
     */
    private static final class Control extends LocalExecutionControl {
        private final SnippetThread snippets = new SnippetThread();
        private Object value;

        @Override
        protected String invoke(Method snippet) throws Exception {
            return valueString(snippets.run(snippet));
        }

        @Override
        public void stop() {
            snippets.stop();
        }

        @Override
        public String varValue(String className, String varName) throws InternalException {
            try {
                Field field = findClass(className).getDeclaredField(varName);
                field.setAccessible(true);
                value = field.get(null);
                return "";
            } catch (ReflectiveOperationException e) {
                throw new InternalException("cannot read " + varName + ": " + e);
            }
        }

        Object takeValue() {
            Object taken = value;
            value = null; // the notebook's variable keeps it alive, not the engine
            return taken;
        }
    }
}
