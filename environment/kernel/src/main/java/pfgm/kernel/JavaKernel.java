package pfgm.kernel;

import io.github.spencerpark.jupyter.kernel.BaseKernel;
import io.github.spencerpark.jupyter.kernel.LanguageInfo;
import io.github.spencerpark.jupyter.kernel.ReplacementOptions;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The Jupyter kernel: cells run in JShell inside this JVM (state persists from cell to cell), a
 * cell's last expression and {@link Notebook#display} are rendered as charts, tables, images or
 * text, System.out and System.err stream to the notebook while a cell runs.
 */
final class JavaKernel extends BaseKernel {
    private static final Logger LOG = Logger.getLogger(JavaKernel.class.getName());

    private final LanguageInfo languageInfo = new LanguageInfo.Builder("java")
            .version(Runtime.version().toString())
            .mimetype("text/x-java-source")
            .fileExtension(".jshell")
            .pygments("java")
            .codemirror("text/x-java")
            .build();
    private final CellEvaluator evaluator;
    private final Magics magics;
    private final CellRunner runner;

    JavaKernel() {
        ChartDisplay.register(renderer);
        TableDisplay.register(renderer);
        String classPath = System.getProperty("java.class.path");
        evaluator = new CellEvaluator(classPath);
        evaluator.readJavadocFrom(JavadocSources.parse(System.getProperty(JavadocSources.PROPERTY, "")));
        magics = new Magics(List.of(
                new ClasspathMagic(evaluator::addToClasspath),
                new MavenMagic(new MavenResolver(), evaluator::addToClasspath),
                new LoadMagic(this::run)));
        runner = new CellRunner(evaluator, magics);
        Notebook.attach(this);
        importDefaults(classPath);
    }

    private void importDefaults(String classPath) {
        for (String statement : DefaultImports.statements(classPath)) {
            try {
                evaluator.eval(CellText.cell(0, statement));
            } catch (CellError e) {
                LOG.warning("start-up import failed: " + e.getMessage());
            }
        }
    }

    @Override
    public DisplayData eval(String code) throws Exception {
        // BaseKernel counted this cell before calling eval: its number is the one before the counter
        CellText cell = CellText.cell(executionCount.get() - 1, code);
        evaluator.startCell();
        return run(cell).map(this::render).orElse(null);
    }

    /** A cell, or a file %load runs as one. */
    private Optional<Object> run(CellText code) throws CellError {
        return runner.run(code);
    }

    void display(String displayId, Object value, String... mimeTypes) {
        DisplayData data = render(value, mimeTypes);
        data.setDisplayId(displayId);
        display(data);
    }

    void updateDisplay(String displayId, Object value, String... mimeTypes) {
        getIO().display.updateDisplay(displayId, render(value, mimeTypes));
    }

    private DisplayData render(Object value, String... mimeTypes) {
        if (value == null) {
            return new DisplayData("null");
        }
        return mimeTypes.length == 0 ? renderer.render(value) : renderer.renderAs(value, mimeTypes);
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        return magics.complete(code, at).orElseGet(() -> evaluator.complete(Magics.blank(code), at));
    }

    /** Shift-Tab: the signature and Javadoc of what is at the cursor, or a magic's usage on a magic line. */
    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        Optional<String> text = magics.describe(code, at)
                .or(() -> Inspection.describe(evaluator.documentation(Magics.blank(code), at), extraDetail));
        return text.map(DisplayData::new).orElse(null);
    }

    @Override
    public String isComplete(String code) {
        return switch (evaluator.completeness(Magics.blank(code))) {
            case COMPLETE, COMPLETE_WITH_SEMI, EMPTY -> IS_COMPLETE_YES;
            case UNKNOWN -> IS_COMPLETE_BAD;
            case DEFINITELY_INCOMPLETE, CONSIDERED_INCOMPLETE -> ""; // incomplete, next line without indent
        };
    }

    @Override
    public void interrupt() {
        evaluator.interrupt();
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        evaluator.close();
    }

    @Override
    public List<String> formatError(Exception e) {
        return e instanceof CellError error ? error.report() : super.formatError(e);
    }

    @Override
    public LanguageInfo getLanguageInfo() {
        return languageInfo;
    }
}
