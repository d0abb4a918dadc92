package pfgm.kernel;

import java.util.UUID;

/**
 * What a notebook calls to show things; every cell has {@code import static pfgm.kernel.Notebook.*}.
 *
 * <pre>{@code
 * display(chart);                              // XChart as PNG, Tablesaw as HTML, images as PNG, else text
 * display(chart, "image/svg+xml");             // in the MIME types asked for
 * String plot = display(lossChart);            // each output has an id ...
 * updateDisplay(plot, lossChart);              // ... that redraws it in place (a live plot, a progress line)
 * }</pre>
 *
 * Outputs go to the cell that is running; a thread still drawing after its cell ended draws nowhere.
 */
public final class Notebook {
    private static volatile JavaKernel kernel;

    private Notebook() {}

    static void attach(JavaKernel running) {
        kernel = running;
    }

    /** Shows {@code value} below the running cell, as {@code mimeTypes} or its preferred type; returns its display id. */
    public static String display(Object value, String... mimeTypes) {
        String displayId = UUID.randomUUID().toString();
        kernel().display(displayId, value, mimeTypes);
        return displayId;
    }

    /** Redraws the output {@code displayId} (from {@link #display}) with {@code value}. */
    public static void updateDisplay(String displayId, Object value, String... mimeTypes) {
        kernel().updateDisplay(displayId, value, mimeTypes);
    }

    private static JavaKernel kernel() {
        JavaKernel running = kernel;
        if (running == null) {
            throw new IllegalStateException("display() works in the pfgm Jupyter kernel only");
        }
        return running;
    }
}
