package pfgm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pfgm.Arrays2;
import pfgm.ManagedArrays;
import pfgm.data.Datasets;
import pfgm.data.Split;
import pfgm.io.NumPy;
import pfgm.method.pfgm.PoissonField;
import pfgm.util.Devices;
import pfgm.util.Rng;

/** Runs the pfgm command in-process, as a user would call it, and checks outputs and error messages. */
class PfgmCommandTest extends ManagedArrays {
    @TempDir
    Path dir;

    record Run(int exitCode, String out, String err) {}

    static Run run(String... args) {
        var cli = Pfgm.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        try {
            int code = cli.execute(args);
            return new Run(code, out.toString(), err.toString());
        } finally {
            System.setOut(saved);
        }
    }

    Path save(String name, NDArray array) throws Exception {
        Path path = dir.resolve(name);
        NumPy.write(path, array);
        return path;
    }

    @Test
    void hyperparamsPrintsTheOfficialCifarValues() {
        Run r = run("hyperparams", "--data-norm", "32", "--data-dim", "3072");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("M          291"), r.out());
        assertTrue(r.out().contains("z_max      43.408"), r.out());
        assertTrue(r.out().contains("upper_norm 3015.38"), r.out());
    }

    @Test
    void hyperparamsMeasuresTheNormOfADataFile() throws Exception {
        Path data = save("d.npy", manager.create(new float[] {3, 4, 6, 8}, new Shape(2, 2)));
        Run r = run("hyperparams", "--data", data.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("data norm 7.5000, dimension 2"), r.out());
    }

    @Test
    void fieldWritesTheNormalizedField() throws Exception {
        Rng rng = new Rng(1);
        NDArray charges = rng.normal(manager, new Shape(40, 6));
        NDArray points = rng.uniform(manager, new Shape(9, 7), 0.01, 1);
        Path out = dir.resolve("v.npy");
        Run r = run("field", "--charges", save("c.npy", charges).toString(), "--points",
                save("p.npy", points).toString(), "--gamma", "2", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        NDArray v = NumPy.read(manager, out);
        assertTrue(v.allClose(PoissonField.normalized(points, charges, 2), 1e-6, 1e-6, false));
    }

    @Test
    void priorAndSampleProduceWhatTheyPromise() throws Exception {
        Path prior = dir.resolve("prior.npy");
        Run p = run("prior", "--n", "50", "--dim", "3", "--z-max", "10", "--upper-norm", "40", "--seed", "3",
                "--out", prior.toString());
        assertEquals(0, p.exitCode(), p.err());
        double[][] rows = Arrays2.rows(NumPy.read(manager, prior));
        assertEquals(50, rows.length);
        for (double[] row : rows) {
            assertTrue(Arrays2.norm(row) >= 1 - 1e-5 && Arrays2.norm(row) <= 40 + 1e-4);
        }
        double[][] data = {{1, 0}, {0, 1}, {-1, -1}};
        Path oracle = save("oracle.npy", Arrays2.matrix(manager, data).toType(ai.djl.ndarray.types.DataType.FLOAT32, false));
        Path out = dir.resolve("samples.npy");
        Run s = run("sample", "--oracle", oracle.toString(), "--n", "30", "--solver", "heun", "--steps", "50",
                "--seed", "1", "--out", out.toString());
        assertEquals(0, s.exitCode(), s.err());
        assertTrue(s.out().contains("NFE 100"), s.out());
        for (double[] x : Arrays2.rows(NumPy.read(manager, out))) {
            double nearest = Double.POSITIVE_INFINITY;
            for (double[] d : data) {
                nearest = Math.min(nearest, Math.hypot(x[0] - d[0], x[1] - d[1]));
            }
            assertTrue(nearest < 0.1, "sample " + java.util.Arrays.toString(x) + " is " + nearest + " from the data");
        }
    }

    /** train, resume with more steps, then sample the run as .npy and as a picture. */
    @Test
    void trainResumeAndSampleARun() throws Exception {
        Path workdir = dir.resolve("toy");
        Run first = run("train", "--preset", "toy2d", "--workdir", workdir.toString(), "--steps", "20",
                "--set", "snapshotEvery=0", "--set", "checkpointEvery=10");
        assertEquals(0, first.exitCode(), first.err());
        Run more = run("train", "--preset", "toy2d", "--workdir", workdir.toString(), "--steps", "30",
                "--set", "snapshotEvery=0", "--set", "checkpointEvery=10");
        assertEquals(0, more.exitCode(), more.err());
        assertTrue(more.out().contains("step 20 of 30"), more.out());
        var metrics = tech.tablesaw.api.Table.read().csv(workdir.resolve("metrics.csv").toFile());
        assertEquals(30, metrics.intColumn("step").max(), 1e-9);
        Path samples = dir.resolve("s.npy");
        Run s = run("sample", "--workdir", workdir.toString(), "--n", "16", "--solver", "euler", "--steps", "20",
                "--out", samples.toString());
        assertEquals(0, s.exitCode(), s.err());
        assertEquals(new Shape(16, 2), NumPy.read(manager, samples).getShape());
        Path png = dir.resolve("s.png");
        assertEquals(0, run("sample", "--workdir", workdir.toString(), "--n", "16", "--solver", "euler", "--steps", "10",
                "--out", png.toString()).exitCode());
        assertTrue(javax.imageio.ImageIO.read(png.toFile()).getWidth() > 100);
        expectError(run("train", "--preset", "toy2d", "--workdir", workdir.toString(), "--set", "lr=0.01"), "other settings");
        expectError(run("sample", "--workdir", dir.resolve("none").toString(), "--n", "2", "--out", png.toString()), "no run");
        // Sampling settings may change; what the network learned may not.
        expectError(run("sample", "--workdir", workdir.toString(), "--n", "2", "--set", "method=vp", "--out", png.toString()),
                "trained with method pfgm; sampling cannot switch it to vp");
        expectError(run("sample", "--workdir", workdir.toString(), "--n", "2", "--set", "pfgm.gamma=5", "--out", png.toString()),
                "trained with other values (pfgm.gamma: 0.3 -> 5.0)");
        Run presets = run("presets", "mnist_small");
        assertTrue(presets.out().contains("method = pfgm\n") && presets.out().contains("pfgm.M = "), presets.out());
    }

    /**
     * stats, then eval of real MNIST images (uint8, (n, C, H, W)) and of noise (centred floats, (n, N))
     * against MNIST under the kit's classifier: real images score far better on every metric.
     */
    @Test
    void evalAndStatsScoreRealImagesAboveNoise() throws Exception {
        Path real = save("real.npy", Datasets.load(manager, "mnist", Split.TRAIN).images().get("0:300"));
        Path noise = save("noise.npy", new Rng(1).uniform(manager, new Shape(300, 784), -1, 1));
        Path stats = dir.resolve("mnist-stats.npz");
        Path csv = dir.resolve("eval.csv");
        Run st = run("stats", "--data", "mnist", "--n", "2000", "--out", stats.toString());
        assertEquals(0, st.exitCode(), st.err());
        Run good = run("eval", "--samples", real.toString(), "--data", "mnist", "--results", csv.toString());
        assertEquals(0, good.exitCode(), good.err());
        Run bad = run("eval", "--samples", noise.toString(), "--data", "mnist", "--results", csv.toString());
        assertEquals(0, bad.exitCode(), bad.err());
        Run fromStats = run("eval", "--samples", real.toString(), "--data", "mnist", "--reference-stats", stats.toString(),
                "--metrics", "fid,is", "--results", csv.toString());
        assertEquals(0, fromStats.exitCode(), fromStats.err());
        var rows = tech.tablesaw.api.Table.read().csv(csv.toFile());
        assertEquals(3, rows.rowCount());
        var fid = rows.doubleColumn("fid");
        assertTrue(fid.get(1) > 20 * fid.get(0), "noise " + fid.get(1) + " vs real " + fid.get(0));
        assertTrue(fid.get(2) > fid.get(0) / 2 && fid.get(2) < 2 * fid.get(0), "2,000 test images' statistics: " + fid.get(2));
        assertTrue(rows.doubleColumn("is").get(0) > 7 && rows.doubleColumn("is").get(1) < 3, rows.print());
        assertTrue(rows.doubleColumn("precision").get(0) > 0.7 && rows.doubleColumn("recall").get(0) > 0.5
                && rows.doubleColumn("precision").get(1) < 0.3, rows.print());
        // KID is unbiased: real images are within 3 standard deviations of 0, noise far outside.
        var kid = rows.doubleColumn("kid");
        var kidStd = rows.doubleColumn("kid_std");
        assertTrue(Math.abs(kid.get(0)) < 3 * kidStd.get(0) && kid.get(1) > 10 * kidStd.get(0), rows.print());
        expectError(run("eval", "--samples", real.toString(), "--data", "mnist", "--reference-stats", stats.toString(),
                "--metrics", "kid", "--results", csv.toString()), "KID and precision/recall need");
        expectError(run("eval", "--samples", real.toString(), "--results", csv.toString()), "--data");
    }

    /** The Inception path end to end with the repository's TorchScript fixture, and the message when the file is absent. */
    @Test
    void evalWithATorchScriptInception() throws Exception {
        Path fixture = Path.of(getClass().getResource("/pfgm/eval/inception-fixture.pt").toURI());
        String features = "inception:" + fixture;
        Path real = save("real.npy", Datasets.load(manager, "mnist", Split.TRAIN).images().get("0:40"));
        Path stats = dir.resolve("stats.npz");
        Path csv = dir.resolve("eval.csv");
        Run st = run("stats", "--data", "mnist", "--n", "60", "--features", features, "--batch-size", "20", "--out", stats.toString());
        assertEquals(0, st.exitCode(), st.err());
        assertEquals(8, pfgm.eval.GaussianStats.load(stats).dim(), "the fixture's 8 features");
        Run ev = run("eval", "--samples", real.toString(), "--data", "mnist", "--features", features, "--reference-stats",
                stats.toString(), "--metrics", "fid,is", "--batch-size", "20", "--results", csv.toString());
        assertEquals(0, ev.exitCode(), ev.err());
        var row = tech.tablesaw.api.Table.read().csv(csv.toFile());
        assertTrue(row.doubleColumn("fid").get(0) >= 0 && row.doubleColumn("is").get(0) >= 1, row.print());
        expectError(run("eval", "--samples", real.toString(), "--data", "mnist", "--features", "inception:"
                + dir.resolve("absent.pt"), "--results", csv.toString()), "export_pytorch_fid.py");
    }

    /** A (barely) trained mnist_small run sampled in batches and evaluated: one row with its sampler and NFE. */
    @Test
    void evalSamplesARun() throws Exception {
        Path workdir = dir.resolve("mnist");
        Run train = run("train", "--preset", "mnist_small", "--workdir", workdir.toString(), "--steps", "2",
                "--set", "network.nf=8", "--set", "smallBatchSize=8", "--set", "batchSize=32", "--set", "snapshotEvery=0",
                "--device", "cpu");
        assertEquals(0, train.exitCode(), train.err());
        assertFalse(train.err().contains(AUTO_NOTE), "a device the user named needs no note: " + train.err());
        Path csv = dir.resolve("eval.csv");
        Run ev = run("eval", "--workdir", workdir.toString(), "--n", "20", "--batch-size", "8", "--solver", "euler",
                "--steps", "3", "--metrics", "fid,is", "--results", csv.toString());
        assertEquals(0, ev.exitCode(), ev.err());
        // eval uses the device for the run, the feature network and the row: auto says what it chose once.
        List<String> notes = ev.err().lines().filter(l -> l.startsWith(AUTO_NOTE)).toList();
        assertEquals(1, notes.size(), ev.err());
        assertTrue(notes.get(0).startsWith(AUTO_NOTE + Devices.describe(Devices.resolve("auto"))), notes.get(0));
        var row = tech.tablesaw.api.Table.read().csv(csv.toFile());
        assertEquals("euler-3", row.stringColumn("sampler").get(0));
        assertEquals(3, row.intColumn("nfe").get(0));
        assertEquals(20, row.intColumn("n").get(0));
        assertEquals("mnist@16px", row.stringColumn("data").get(0), "scored against the test split at the run's size");
        assertTrue(row.doubleColumn("fid").get(0) > 0, row.print());
    }

    @Test
    void badInputEndsWithOneClearMessage() throws Exception {
        Path charges = save("c.npy", manager.ones(new Shape(5, 4)));
        Path narrow = save("narrow.npy", manager.ones(new Shape(3, 4)));
        Path ints = save("ints.npy", manager.create(new int[] {1, 2, 3, 4}, new Shape(2, 2)));
        Path out = dir.resolve("o.npy");
        expectError(run("field", "--charges", dir.resolve("absent.npy").toString(), "--points", narrow.toString(),
                "--out", out.toString()), "file not found");
        expectError(run("field", "--charges", charges.toString(), "--points", narrow.toString(), "--out", out.toString()),
                "N+1");
        expectError(run("field", "--charges", ints.toString(), "--points", narrow.toString(), "--out", out.toString()),
                "dtype");
        expectError(run("hyperparams", "--data-norm", "32", "--data-dim", "3072", "--sigma", "-0.01"), "sigma must be > 0");
        expectError(run("sample", "--oracle", charges.toString(), "--n", "4", "--solver", "rk4", "--out", out.toString()),
                "unknown solver");
        expectError(run("prior", "--n", "4", "--dim", "3", "--z-max", "10", "--upper-norm", "0.5", "--out", out.toString()),
                "upper_norm");
        expectError(run("field", "--charges", charges.toString(), "--points", narrow.toString(), "--out", out.toString(),
                "--device", "gpu"), "GPU");
    }

    /** The note a command whose device is auto prints once, before any error. */
    static final String AUTO_NOTE = "pfgm: --device auto chose ";

    static void expectError(Run r, String fragment) {
        assertEquals(1, r.exitCode(), "exit code; stderr: " + r.err());
        assertTrue(r.err().lines().filter(l -> l.startsWith(AUTO_NOTE)).count() <= 1, r.err());
        String error = r.err().lines().filter(l -> !l.startsWith(AUTO_NOTE)).collect(java.util.stream.Collectors.joining("\n"));
        assertTrue(error.startsWith("pfgm: error: ") && error.contains(fragment), r.err());
        assertEquals(1, error.strip().lines().count(), "one line: " + r.err());
    }
}
