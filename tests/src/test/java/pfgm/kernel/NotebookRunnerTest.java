package pfgm.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** environment/run-notebooks on small notebooks: what it writes, and its exit code. */
class NotebookRunnerTest {
    @TempDir
    Path results;

    record Run(int exitCode, String output) {}

    @BeforeAll
    static void jupyterIsInstalled() {
        Jupyter.requireInstalled();
    }

    Run runner(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Jupyter.ROOT.resolve("environment/run-notebooks").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PFGM_RESULTS", results.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "run-notebooks did not finish: " + output);
        return new Run(process.exitValue(), output);
    }

    static String fixture(String name) throws Exception {
        return Path.of(NotebookRunnerTest.class.getResource("/notebooks/" + name).toURI()).toString();
    }

    Path runFolder() throws Exception {
        try (Stream<Path> folders = Files.list(results)) {
            List<Path> runs = folders.filter(folder -> folder.getFileName().toString().startsWith("notebooks-")).toList();
            assertEquals(1, runs.size(), "one run folder: " + runs);
            return runs.get(0);
        }
    }

    static List<JsonObject> outputs(Path executed, int cell) throws Exception {
        JsonObject notebook = JsonParser.parseString(Files.readString(executed)).getAsJsonObject();
        JsonObject code = notebook.getAsJsonArray("cells").get(cell).getAsJsonObject();
        return StreamSupport.stream(code.getAsJsonArray("outputs").spliterator(), false)
                .map(JsonElement::getAsJsonObject)
                .toList();
    }

    @Test
    void aNotebookIsExecutedIntoIpynbAndHtmlWithTheBudgetInTheKernelsEnvironment() throws Exception {
        Run run = runner("--budget", "smoke", fixture("passing.ipynb"));
        assertEquals(0, run.exitCode(), run.output());
        Path folder = runFolder();
        assertTrue(run.output().contains(folder.toString()), "says where the outputs are: " + run.output());
        assertTrue(Files.size(folder.resolve("passing.html")) > 0);

        Path executed = folder.resolve("passing.ipynb");
        JsonObject budget = outputs(executed, 1).get(0).getAsJsonObject("data");
        assertEquals("smoke", budget.get("text/plain").getAsString());
        assertTrue(outputs(executed, 2).get(0).getAsJsonObject("data").has("image/png"), "the chart cell shows a PNG");
        assertTrue(outputs(executed, 3).get(0).getAsJsonObject("data").has("text/html"), "the table cell shows HTML");
    }

    @Test
    void aFailingCellMakesTheRunnerFailAndItsErrorIsInTheExecutedNotebook() throws Exception {
        Run run = runner(fixture("failing.ipynb"));
        assertNotEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("planned failure"), run.output());
        Path folder = runFolder();
        JsonObject error = outputs(folder.resolve("failing.ipynb"), 1).get(0);
        assertEquals("error", error.get("output_type").getAsString());
        assertTrue(Files.exists(folder.resolve("failing.html")));
    }

    @Test
    void anUnknownBudgetIsRefused() throws Exception {
        Run run = runner("--budget", "huge", fixture("passing.ipynb"));
        assertEquals(2, run.exitCode(), run.output());
        assertTrue(run.output().contains("unknown budget 'huge'"), run.output());
    }
}
