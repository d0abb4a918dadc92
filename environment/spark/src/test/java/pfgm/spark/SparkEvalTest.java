package pfgm.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.resource.ResourceInformation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pfgm.cli.Pfgm;
import pfgm.shard.ShardFile;
import picocli.CommandLine;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

/**
 * The Spark job in local mode on a real run (mnist_small, 10 steps of a narrow network, RK45):
 * its results row is the row of one process's pfgm eval.
 */
class SparkEvalTest {
    /** 25 samples in batches of 10 (the last of 5), three shards of one batch. */
    static final List<String> DRAW = List.of("--n", "25", "--batch-size", "10", "--solver", "rk45", "--seed", "3",
            "--metrics", "fid,is,kid,pr");

    @TempDir
    Path dir;

    record Result(int exitCode, String err) {}

    static Result execute(CommandLine cli, List<String> args) {
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        PrintStream saved = System.out;
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true)); // the tables and progress, not checked here
        try {
            return new Result(cli.execute(args.toArray(String[]::new)), err.toString());
        } finally {
            System.setOut(saved);
        }
    }

    static Result pfgm(List<String> args) {
        return execute(Pfgm.commandLine(), args);
    }

    static Result spark(List<String> args) {
        return execute(new CommandLine(new SparkEval()), args);
    }

    static List<String> with(List<String> first, String... more) {
        List<String> all = new ArrayList<>(first);
        all.addAll(List.of(more));
        return all;
    }

    @Test
    void theJobAppendsTheRowOfOneProcess() throws Exception {
        Path workdir = dir.resolve("mnist");
        Result train = pfgm(List.of("train", "--preset", "mnist_small", "--workdir", workdir.toString(), "--steps", "10",
                "--set", "network.nf=8", "--set", "smallBatchSize=8", "--set", "batchSize=32", "--set", "snapshotEvery=0"));
        assertEquals(0, train.exitCode(), train.err());
        List<String> eval = with(List.of("--workdir", workdir.toString()), DRAW.toArray(String[]::new));
        Path single = dir.resolve("single.csv");
        Result one = pfgm(with(with(List.of("eval"), eval.toArray(String[]::new)), "--results", single.toString()));
        assertEquals(0, one.exitCode(), one.err());

        Path shards = dir.resolve("shards");
        Path merged = dir.resolve("spark.csv");
        Result job = spark(with(List.of("--master", "local[2]", "--shards", "3", "--shard-dir", shards.toString()),
                with(eval, "--results", merged.toString()).toArray(String[]::new)));
        assertEquals(0, job.exitCode(), job.err());
        assertEquals(3, ShardFile.list(shards).size());
        assertSameRow(single, merged);
    }

    /**
     * The same columns; every field equal as text but the ones that describe the process (its wall
     * time, date, threads) and FID, which must agree to 1e-9 relative (the merged moments against
     * one two-pass fit differ by rounding).
     */
    static void assertSameRow(Path single, Path merged) throws IOException {
        Table a = Table.read().csv(CsvReadOptions.builder(single.toFile()).columnTypesToDetect(List.of(ColumnType.STRING)));
        Table b = Table.read().csv(CsvReadOptions.builder(merged.toFile()).columnTypesToDetect(List.of(ColumnType.STRING)));
        assertEquals(a.columnNames(), b.columnNames(), "columns");
        assertEquals(1, a.rowCount());
        assertEquals(1, b.rowCount());
        for (String column : a.columnNames()) {
            if (!PER_PROCESS.contains(column) && !column.equals("fid")) {
                assertEquals(a.getString(0, column), b.getString(0, column), column);
            }
        }
        double expected = Double.parseDouble(a.getString(0, "fid"));
        assertTrue(expected > 1, "FID " + expected);
        assertEquals(expected, Double.parseDouble(b.getString(0, "fid")), 1e-9 * expected);
        assertEquals("25", a.getString(0, "n"));
        assertEquals("10", a.getString(0, "train_steps"));
    }

    /** The columns that say how and when this process ran, not what it computed. */
    static final Set<String> PER_PROCESS = Set.of("seconds", "time", "threads");

    /** Mistakes end before Spark starts, and a task's failure reaches the driver as its one line. */
    @Test
    void badInputGetsOneClearMessage() throws Exception {
        Path workdir = dir.resolve("absent");
        expectError(spark(List.of("--workdir", workdir.toString(), "--device", "gpu")), "sets --device itself");
        expectError(spark(List.of("--n", "25")), "give --workdir RUN");
        expectError(spark(List.of("--workdir", workdir.toString(), "--n", "25", "--batch-size", "10", "--shards", "4")),
                "make 3 batch(es)");
        expectError(spark(List.of("--master", "local[1]", "--workdir", workdir.toString(), "--shard-dir", dir.toString())),
                "shard 1/1: " + workdir + " holds no run");
    }

    static void expectError(Result r, String fragment) {
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().startsWith("pfgm-spark: error: ") && r.err().contains(fragment), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    }

    @Test
    void aTaskRunsOnItsGpuOrElseTheCpuAndFindsTheRunWhereverItRuns() {
        assertEquals("cpu", ShardTask.device(Map.of()));
        assertEquals("gpu:3", ShardTask.device(Map.of("gpu", new ResourceInformation("gpu", new String[] {"3"}))));
        String absolute = Path.of("runs/x").toAbsolutePath().toString();
        assertEquals(List.of("--n", "2", "--workdir", absolute), SparkEval.absoluteWorkdir(List.of("--n", "2", "--workdir", "runs/x")));
        assertEquals(List.of("--workdir=" + absolute), SparkEval.absoluteWorkdir(List.of("--workdir=runs/x")));
    }
}
