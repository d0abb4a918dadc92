package pfgm.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import pfgm.util.CodeVersion;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

/**
 * Every notebook of notebooks/ runs through the real kernel in the smoke budget without a failing
 * cell, and saves its figures and summary table next to the executed copy.
 */
class NotebooksTest {
    /**
     * Where the smoke budget's numbers must lie, by quantity: wide enough for a few training steps,
     * narrow enough that a broken model (NaN or exploding samples, a loss that diverged, a sampler
     * that stopped early) falls outside. A quantity no pattern names need only be finite.
     */
    static final Map<String, double[]> RANGES = new LinkedHashMap<>();

    static {
        RANGES.put(".*p-value.*", new double[] {0, 1});
        RANGES.put(".*within 2 sd.*|.*share of samples.*", new double[] {0, 1});
        RANGES.put(".*final loss.*", new double[] {0, 500});
        RANGES.put(".*(FID|: fid).*", new double[] {0, 1000});
        RANGES.put(".*: (is|precision|recall)", new double[] {0, 10});
        RANGES.put(".*NFE.*", new double[] {1, 5000});
        RANGES.put(".*ratio.*", new double[] {0, 100});
        RANGES.put(".*steps", new double[] {1, 2000});
    }

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
            Path summary;
            try (Stream<Path> saved = Files.list(run.resolve(name))) {
                List<String> files = saved.map(p -> p.getFileName().toString()).toList();
                assertTrue(files.stream().anyMatch(f -> f.endsWith(".png")), "figures saved: " + files);
                summary = run.resolve(name).resolve(files.stream().filter(f -> f.endsWith("_summary.csv")).findFirst()
                        .orElseThrow(() -> new AssertionError("summary table saved: " + files)));
            }
            checkSummary(summary);
        }
    }

    /** Every value finite and in its range; every row names the code that made it and the machine. */
    static void checkSummary(Path csv) {
        Table table = Table.read().csv(csv.toFile());
        assertTrue(table.rowCount() > 0, csv + " is empty");
        for (Row row : table) {
            String quantity = row.getString("quantity");
            double value = row.getDouble("value");
            boolean ofSeeds = quantity.startsWith("its standard error") || quantity.contains("minus");
            assertTrue(Double.isFinite(value), csv.getFileName() + ": " + quantity + " = " + value);
            if (!ofSeeds) {
                RANGES.forEach((pattern, range) -> {
                    if (quantity.matches(pattern)) {
                        assertTrue(value >= range[0] && value <= range[1], csv.getFileName() + ": " + quantity + " = " + value
                                + " outside [" + range[0] + ", " + range[1] + "]");
                    }
                });
            }
            assertEquals(CodeVersion.current().id(), row.getString("code"), csv.getFileName() + ": " + quantity);
            assertTrue(row.getString("device").startsWith("cpu: "), row.getString("device"));
        }
    }
}
