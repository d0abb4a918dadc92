package pfgm.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pfgm.cli.Pfgm;
import pfgm.experiment.Ablation;
import pfgm.train.Checkpoint;
import pfgm.util.CodeVersion;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

/**
 * Every number says which code, run, seeds, sampler, features and machine made it, and reusing what
 * other code made is never silent: the output says so, the row records both versions, and refresh
 * makes it again.
 */
class ProvenanceTest {
    @TempDir
    Path dir;

    /** Rewrites a run's checkpoint as though code 0123456789ab had trained all its steps. */
    static void trainedByOlderCode(Path run) throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            Checkpoint saved = Checkpoint.readIfPresent(run, manager);
            Checkpoint.Meta m = saved.meta();
            new Checkpoint(new Checkpoint.Meta(m.step(), m.adamUpdates(), m.emaUpdates(), m.settings(),
                    List.of(new Checkpoint.Segment("0123456789ab", "e".repeat(64), 0, m.step()))), saved.arrays()).write(run);
        }
    }

    @Test
    void anEvalRowCarriesItsProvenanceAndSaysWhoTrainedTheRun() throws Exception {
        Path run = dir.resolve("mnist");
        assertEquals(0, Pfgm.commandLine().execute("train", "--preset", "mnist_small", "--steps", "3", "--set",
                "snapshotEvery=0", "--workdir", run.toString()));
        trainedByOlderCode(run);
        Path csv = dir.resolve("eval.csv");
        StringWriter err = new StringWriter();
        var previous = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true));
        try {
            assertEquals(0, Pfgm.commandLine().setErr(new PrintWriter(err)).execute("eval", "--workdir", run.toString(), "--n",
                    "8", "--metrics", "fid", "--solver", "euler", "--steps", "2", "--seed", "5", "--results", csv.toString()));
        } finally {
            System.setErr(previous);
        }
        assertTrue(captured.toString().contains("was trained by 0123456789ab 0-3; this is " + CodeVersion.current().id()),
                captured.toString());
        Row row = Table.read().csv(csv.toFile()).row(0);
        for (String column : Provenance.COLUMNS) {
            assertTrue(row.columnNames().contains(column), column + " in " + row.columnNames());
        }
        assertEquals(CodeVersion.current().id(), row.getString("code"));
        assertEquals("0123456789ab 0-3", row.getString("trained_by"));
        assertEquals("mnist", row.getString("run"));
        assertEquals(3, row.getInt("train_steps"));
        assertEquals(42, row.getInt("train_seed"));
        assertEquals("euler-2", row.getString("sampler"));
        assertEquals(5, row.getInt("sample_seed"));
        assertEquals(8, row.getInt("n"));
        assertEquals(2, row.getInt("nfe"));
        assertTrue(row.getString("sampler_settings").contains("pfgm.zMax="), row.getString("sampler_settings"));
        assertTrue(row.getString("features").startsWith("mnist-classifier@"), row.getString("features"));
        assertTrue(row.getString("device").startsWith("cpu: "), row.getString("device"));
        assertEquals(Runs.hash(RunDirectory.existing(run).fingerprint().text()), row.getString("run_settings"));
    }

    /** An ablation reuses a row and a run that other code made, with a notice; refresh makes both again. */
    @Test
    void anAblationReusesWhatOtherCodeMadeAloudAndRefreshMakesItAgain() throws Exception {
        Path runs = dir.resolve("runs");
        Path csv = dir.resolve("grid.csv");
        Ablation grid = Ablation.of("toy2d").set("train.steps", "20").set("snapshotEvery", "0").vary("sampler", "euler-5")
                .samples(50).runsIn(runs).resultsIn(csv);
        grid.run();
        Path run = runs.resolve(Table.read().csv(csv.toFile()).stringColumn("run").get(0));
        trainedByOlderCode(run);
        List<String> lines = Files.readAllLines(csv);
        lines.set(1, lines.get(1).replace(CodeVersion.current().id(), "0123456789ab"));
        Files.write(csv, lines);

        List<String> notices = new ArrayList<>();
        Ablation.Listener listener = new Ablation.Listener() {
            @Override
            public void onNotice(String message) {
                notices.add(message);
            }
        };
        Table reused = grid.run(listener);
        assertEquals("0123456789ab", reused.stringColumn("code").get(0));
        assertEquals(1, notices.size(), notices.toString());
        assertTrue(notices.get(0).contains("scored by code 0123456789ab") && notices.get(0).contains("reused"), notices.toString());

        notices.clear();
        Table refreshed = grid.refresh(true).run(listener);
        assertEquals(CodeVersion.current().id(), refreshed.stringColumn("code").get(0));
        assertEquals(CodeVersion.current().id() + " 0-20", refreshed.stringColumn("trained_by").get(0), "trained anew");
        assertTrue(notices.stream().anyMatch(n -> n.contains("training it anew")), notices.toString());
        try (var moved = Files.list(run.resolve("replaced"))) {
            assertTrue(Files.exists(moved.findFirst().orElseThrow().resolve(Checkpoint.FILE)), "the old checkpoint was set aside");
        }
        assertEquals(2, Files.readAllLines(csv).size(), "the refreshed row replaced the old one");
    }
}
