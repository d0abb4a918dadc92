package pfgm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pfgm.cli.PfgmCommandTest.expectError;
import static pfgm.cli.PfgmCommandTest.run;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pfgm.config.Preset;
import pfgm.config.Settings;
import pfgm.shard.ShardFile;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

/**
 * Sharded evaluation of a real (barely trained) mnist_small run with RK45, whose step control
 * couples a batch: shards drawn apart and merged give the samples and the row of one process.
 */
class ShardedEvalTest {
    /** 25 samples in batches of 10: three batches, the last of 5; three shards of one batch. */
    static final String[] DRAW = {"--n", "25", "--batch-size", "10", "--solver", "rk45", "--seed", "3"};
    /** The same batches, cheaper: for the messages. */
    static final String[] EULER = {"--n", "25", "--batch-size", "10", "--solver", "euler", "--steps", "2", "--seed", "3"};

    @TempDir
    static Path dir;
    static Path workdir;

    @BeforeAll
    static void train() {
        workdir = dir.resolve("mnist");
        PfgmCommandTest.Run train = run("train", "--preset", "mnist_small", "--workdir", workdir.toString(), "--steps", "4",
                "--set", "network.nf=8", "--set", "smallBatchSize=8", "--set", "batchSize=32", "--set", "snapshotEvery=0");
        assertEquals(0, train.exitCode(), train.err());
    }

    static String[] eval(String... more) {
        return eval(DRAW, more);
    }

    static String[] eval(String[] draw, String... more) {
        List<String> args = new ArrayList<>(List.of("eval", "--workdir", workdir.toString()));
        args.addAll(List.of(draw));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    static void drawShards(Path out, int count) {
        for (int k = 1; k <= count; k++) {
            PfgmCommandTest.Run shard = run(eval("--shard", k + "/" + count, "--shard-out", out.toString()));
            assertEquals(0, shard.exitCode(), shard.err());
        }
    }

    static Row row(Path csv) throws Exception {
        Table table = Table.read().csv(csv.toFile());
        assertEquals(1, table.rowCount());
        return table.row(0);
    }

    @Test
    void mergedShardsGiveTheRowOfOneProcess() throws Exception {
        Path single = dir.resolve("single.csv");
        PfgmCommandTest.Run one = run(eval("--metrics", "fid,is,kid,pr", "--results", single.toString()));
        assertEquals(0, one.exitCode(), one.err());
        Path shards = dir.resolve("shards");
        drawShards(shards, 3);
        assertEquals(3, ShardFile.list(shards).size());
        Path merged = dir.resolve("merged.csv");
        PfgmCommandTest.Run merge = run("eval", "--merge", shards.toString(), "--metrics", "fid,is,kid,pr", "--results",
                merged.toString());
        assertEquals(0, merge.exitCode(), merge.err());
        assertSameRow(row(single), row(merged), true);

        // FID alone reads only the sums; with --workdir and the draw's options the merge checks them first.
        Path fidOnly = dir.resolve("fid.csv");
        PfgmCommandTest.Run sums = run(eval("--merge", shards.toString(), "--metrics", "fid", "--results", fidOnly.toString()));
        assertEquals(0, sums.exitCode(), sums.err());
        assertSameRow(row(single), row(fidOnly), false);
        assertEquals(row(merged).getNumber("fid"), row(fidOnly).getNumber("fid"), 0.0, "the same sums either way");

        // The samples in the shards are the rows of one process's draw (ShardFolderTest mixes layouts).
        float[][] fromThirds = samples(shards);
        try (pfgm.run.Run run = pfgm.run.Run.reopen(workdir, Device.cpu())) {
            Preset settings = Settings.with(run.preset(), "sampling.solver", "rk45");
            float[] whole = run.sample(25, settings, 3, 10, f -> {}).y().toFloatArray();
            float[] sharded = new float[whole.length];
            for (int i = 0; i < 25; i++) {
                System.arraycopy(fromThirds[i], 0, sharded, i * fromThirds[i].length, fromThirds[i].length);
            }
            assertArrayEquals(whole, sharded);
        }
    }

    /**
     * Every column but the time equal, the features' metrics exactly (the same features in the same
     * order), FID to 1e-9 relative: merged moments against one two-pass fit differ by rounding, which
     * the square roots of the covariance's zero eigenvalues (25 samples of 128 features) magnify to
     * about 2e-10 here.
     */
    static void assertSameRow(Row expected, Row actual, boolean allMetrics) {
        for (String column : List.of("source", "method", "sampler", "data", "features")) {
            assertEquals(expected.getString(column), actual.getString(column), column);
        }
        assertEquals(expected.getInt("nfe"), actual.getInt("nfe"));
        assertEquals(25, actual.getInt("n"));
        assertTrue(expected.getInt("nfe") > 20, "RK45 took " + expected.getInt("nfe") + " evaluations");
        double fid = expected.getNumber("fid");
        assertTrue(fid > 1, "an untrained model's FID: " + fid);
        assertEquals(fid, actual.getNumber("fid"), 1e-9 * fid);
        System.out.println("FID " + fid + " in one process, " + actual.getNumber("fid") + " merged; NFE " + expected.getInt("nfe"));
        if (allMetrics) {
            for (String column : List.of("is", "is_std", "kid", "kid_std", "precision", "recall")) {
                assertEquals(expected.getNumber(column), actual.getNumber(column), 0.0, column);
            }
        }
    }

    static float[][] samples(Path shards) throws Exception {
        List<float[]> rows = new ArrayList<>();
        for (Path file : ShardFile.list(shards)) {
            rows.addAll(List.of(ShardFile.samples(file)));
        }
        return rows.toArray(float[][]::new);
    }

    @Test
    void badShardingGetsOneClearMessage() throws Exception {
        Path shards = dir.resolve("bad");
        Path csv = dir.resolve("bad.csv");
        expectError(run(eval(EULER, "--shard", "4/4", "--shard-out", shards.toString())), "make 3 batch(es)");
        expectError(run(eval(EULER, "--shard", "1/3")), "--shard k/K and --shard-out DIR go together");
        expectError(run("eval", "--n", "38"), "give --workdir RUN");
        PfgmCommandTest.Run first = run(eval(EULER, "--shard", "1/3", "--shard-out", shards.toString()));
        assertEquals(0, first.exitCode(), first.err());
        PfgmCommandTest.Run again = run(eval(EULER, "--shard", "1/3", "--shard-out", shards.toString()));
        assertTrue(again.exitCode() == 0 && again.out().contains("already in"), again.out());
        expectError(run(eval(EULER, "--shard", "2/3", "--shard-out", shards.toString(), "--rtol", "1e-3")),
                "already holds shards of another draw");
        expectError(run("eval", "--merge", shards.toString(), "--results", csv.toString()),
                "lacks batches 1-2 (samples 10-24) (--shard 2/3, --shard 3/3)");
        PfgmCommandTest.Run third = run(eval(EULER, "--shard", "3/3", "--shard-out", shards.toString()));
        assertEquals(0, third.exitCode(), third.err());
        expectError(run("eval", "--merge", shards.toString(), "--solver", "euler", "--results", csv.toString()),
                "takes --solver from the shards");
        List<String> otherSeed = new ArrayList<>(List.of(eval(EULER, "--merge", shards.toString(), "--results", csv.toString())));
        otherSeed.set(otherSeed.indexOf("--seed") + 1, "4");
        expectError(run(otherSeed.toArray(String[]::new)), "lacks batches 1-1 (samples 10-19) (--shard 2/3)");
        PfgmCommandTest.Run second = run(eval(EULER, "--shard", "2/3", "--shard-out", shards.toString()));
        assertEquals(0, second.exitCode(), second.err());
        expectError(run(otherSeed.toArray(String[]::new)), "not the draw these options describe: seed 4 asked, 3 in the shards");
    }
}
