package pfgm.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every notebook of notebooks/ runs through the real kernel in the smoke budget without a failing
 * cell, and saves its figures and summary table next to the executed copy.
 */
class NotebooksTest {
    @TempDir
    Path results;

    @BeforeAll
    static void jupyterIsInstalled() {
        Jupyter.requireInstalled();
    }

    static List<Path> notebooks() throws Exception {
        try (Stream<Path> files = Files.list(Jupyter.ROOT.resolve("notebooks"))) {
            return files.filter(f -> f.toString().endsWith(".ipynb")).sorted().toList();
        }
    }

    @ParameterizedTest
    @MethodSource("notebooks")
    void runsCleanInTheSmokeBudget(Path notebook) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Jupyter.ROOT.resolve("environment/run-notebooks").toString(),
                "--budget", "smoke", notebook.toString()).redirectErrorStream(true);
        builder.environment().put("PFGM_RESULTS", results.toString());
        builder.directory(Jupyter.ROOT.toFile());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(15, TimeUnit.MINUTES), "did not finish: " + output);
        assertEquals(0, process.exitValue(), output);
        String name = notebook.getFileName().toString().replace(".ipynb", "");
        try (Stream<Path> runs = Files.list(results)) {
            Path run = runs.filter(p -> p.getFileName().toString().startsWith("notebooks-")).findFirst().orElseThrow();
            assertTrue(Files.exists(run.resolve(name + ".html")), "html written");
            try (Stream<Path> saved = Files.list(run.resolve(name))) {
                List<String> files = saved.map(p -> p.getFileName().toString()).toList();
                assertTrue(files.stream().anyMatch(f -> f.endsWith(".png")), "figures saved: " + files);
                assertTrue(files.contains(name + "_summary.csv") || files.stream().anyMatch(f -> f.endsWith("_summary.csv")),
                        "summary table saved: " + files);
            }
        }
    }
}
