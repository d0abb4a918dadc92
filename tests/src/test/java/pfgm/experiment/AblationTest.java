package pfgm.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/** A 2 x 2 grid on toy2d, whole and killed with SIGKILL half-way then resumed. */
class AblationTest {
    static final Path ROOT = Path.of(System.getProperty("pfgm.root", "..")).toAbsolutePath().normalize();
    static final String[] GRID = {"--preset", "toy2d", "--vary", "train.steps=30,60", "--vary", "sampler=euler-5,euler-10",
        "--set", "snapshotEvery=0", "--set", "checkpointEvery=10", "--n", "100"};

    @TempDir
    Path dir;

    static Ablation grid(Path runs, Path results) {
        return Ablation.of("toy2d").set("snapshotEvery", "0").set("checkpointEvery", "10").vary("train.steps", "30", "60")
                .vary("sampler", "euler-5", "euler-10").samples(100).runsIn(runs).resultsIn(results);
    }

    @Test
    void aKilledGridResumesWithEveryCellOnceAndTheSameTable() throws Exception {
        Table whole = grid(dir.resolve("runs-a"), dir.resolve("a.csv")).run();
        assertEquals(4, whole.rowCount());

        Path runs = dir.resolve("runs-b");
        Path results = dir.resolve("b.csv");
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Dai.djl.offline=true", "-cp", ROOT.resolve("lib/target/pfgm-lib.jar") + File.pathSeparator
                        + ROOT.resolve("lib/target/lib/*"), "pfgm.cli.Pfgm", "ablate"));
        command.addAll(List.of(GRID));
        command.addAll(List.of("--runs", runs.toString(), "--results", results.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("cli.log").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (rows(results) < 1 && process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(process.isAlive(), "the grid finished before it could be killed: " + Files.readString(dir.resolve("cli.log")));
        process.destroyForcibly().waitFor(); // SIGKILL: no shutdown hooks, files as they were
        int before = rows(results);
        assertTrue(before >= 1 && before < 4, before + " cells were done at the kill");

        Map<String, Long> trained = new HashMap<>();
        Table resumed = grid(runs, results).run(new Ablation.Listener() {
            private String cell;

            @Override
            public void onCell(int index, int total, Map<String, String> settings, boolean done) {
                cell = settings.get("train.steps");
            }

            @Override
            public void onTrainingStep(long step, long steps) {
                trained.merge(cell, 1L, Long::sum);
            }
        });
        assertEquals(0L, trained.getOrDefault("30", 0L), "the 30-step run finished before the kill: not trained again");
        assertTrue(trained.getOrDefault("60", 0L) <= 60, "the 60-step run resumed from its checkpoint: " + trained);
        assertEquals(4, rows(results), "every cell once");
        for (String column : List.of("cell", "train.steps", "sampler", "train_steps", "nfe", "n", "mean_log_density", "within_2sd",
                "mmd2", "p_value")) {
            assertEquals(whole.column(column).asList(), resumed.column(column).asList(), column);
        }
    }

    private static int rows(Path csv) throws Exception {
        return Files.exists(csv) ? Math.max(0, Files.readAllLines(csv).size() - 1) : 0;
    }
}
