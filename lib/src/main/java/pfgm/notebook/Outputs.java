package pfgm.notebook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a notebook saves its figures and tables: {@code $PFGM_OUTPUT_DIR} (the runner points it
 * next to the executed copy), else {@code results/interactive} under the working directory.
 */
public final class Outputs {
    public static final String VARIABLE = "PFGM_OUTPUT_DIR";

    private Outputs() {}

    public static Path dir() throws IOException {
        String configured = System.getenv(VARIABLE);
        Path dir = configured == null || configured.isBlank() ? Path.of("results", "interactive") : Path.of(configured);
        return Files.createDirectories(dir);
    }

    /** A file in the output folder, e.g. {@code Outputs.file("01_field_lines.png")}. */
    public static Path file(String name) throws IOException {
        return dir().resolve(name);
    }
}
