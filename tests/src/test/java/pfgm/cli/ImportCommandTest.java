package pfgm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pfgm.ManagedArrays;
import pfgm.cli.PfgmCommandTest.Run;
import pfgm.io.NumPy;
import pfgm.train.Checkpoint;

/**
 * pfgm import of a converted official checkpoint (the small NCSN++ fixture of
 * environment/checkpoints/make_fixture.py), then pfgm field and pfgm sample on the imported run,
 * as a user would call them: the field at the fixture's points is the official network's output.
 */
class ImportCommandTest extends ManagedArrays {
    /** cifar10_ncsnpp with the fixture's sizes. */
    static final String[] SMALL = {"--set", "network.nf=8", "--set", "network.chMult=1,2", "--set", "network.numResBlocks=1",
        "--set", "network.imageSize=8", "--set", "network.attnResolutions=4"};

    @TempDir
    Path dir;

    static Path fixture(String name) throws Exception {
        return Path.of(ImportCommandTest.class.getResource("/pfgm/official/" + name).toURI());
    }

    static String[] args(String... parts) {
        List<String> all = new ArrayList<>(List.of(parts));
        all.addAll(List.of(SMALL));
        return all.toArray(new String[0]);
    }

    @Test
    void anImportedRunGivesTheOfficialFieldAndSamples() throws Exception {
        Path workdir = dir.resolve("official");
        Run imported = PfgmCommandTest.run(args("import", "--official", fixture("ncsnpp.npz").toString(), "--preset",
                "cifar10_ncsnpp", "--workdir", workdir.toString()));
        assertEquals(0, imported.exitCode(), imported.err());
        assertTrue(imported.out().contains("official step 1236"), imported.out());
        for (String file : new String[] {"run.properties", "preset.txt", "checkpoint.npz", "imported.txt"}) {
            assertTrue(Files.exists(workdir.resolve(file)), file);
        }
        Checkpoint checkpoint = Checkpoint.readIfPresent(workdir, manager);
        assertEquals(1236, checkpoint.step());
        assertTrue(checkpoint.fingerprint().contains("network.imageSize = 8;network.nf = 8;"), checkpoint.fingerprint());

        Map<String, NDArray> io = NumPy.readAll(manager, fixture("ncsnpp-io.npz"));
        NDArray x = io.get("x");
        NDArray points = NDArrays.concat(new NDList(x.reshape(x.getShape().get(0), -1), io.get("z").reshape(-1, 1)), 1);
        Path p = dir.resolve("points.npy");
        NumPy.write(p, points);
        for (boolean ema : new boolean[] {false, true}) {
            Path v = dir.resolve("v" + ema + ".npy");
            List<String> call = new ArrayList<>(List.of("field", "--workdir", workdir.toString(), "--points", p.toString(),
                    "--out", v.toString(), "--batch-size", "2"));
            if (ema) {
                call.add("--ema");
            }
            Run field = PfgmCommandTest.run(call.toArray(new String[0]));
            assertEquals(0, field.exitCode(), field.err());
            NDArray got = NumPy.read(manager, v).toType(DataType.FLOAT64, false);
            NDArray expected = io.get(ema ? "ema_out" : "model_out").toType(DataType.FLOAT64, false);
            assertEquals(expected.getShape(), got.getShape());
            double error = got.sub(expected).abs().max().getDouble() / expected.abs().max().getDouble();
            assertTrue(error < 1e-4, (ema ? "EMA" : "model") + " weights: relative error " + error);
        }

        Path samples = dir.resolve("s.npy");
        Run sample = PfgmCommandTest.run("sample", "--workdir", workdir.toString(), "--n", "2", "--solver", "euler", "--steps",
                "2", "--out", samples.toString());
        assertEquals(0, sample.exitCode(), sample.err());
        assertTrue(sample.out().contains("run at step 1236"), sample.out());
        assertEquals(new Shape(2, 192), NumPy.read(manager, samples).getShape());

        expectError(PfgmCommandTest.run(args("import", "--official", fixture("ncsnpp.npz").toString(), "--preset",
                "cifar10_ncsnpp", "--workdir", workdir.toString())), "already holds a run");
        Path wide = dir.resolve("wide.npy");
        NumPy.write(wide, manager.ones(new Shape(2, 10)));
        expectError(PfgmCommandTest.run("field", "--workdir", workdir.toString(), "--points", wide.toString(), "--out",
                dir.resolve("o.npy").toString()), "N+1 = 193");
        Path zero = dir.resolve("zero.npy");
        NumPy.write(zero, manager.zeros(new Shape(2, 193)));
        expectError(PfgmCommandTest.run("field", "--workdir", workdir.toString(), "--points", zero.toString(), "--out",
                dir.resolve("o.npy").toString()), "z <= 0");
    }

    @Test
    void badImportsEndWithOneClearMessage() throws Exception {
        String official = fixture("ncsnpp.npz").toString();
        Path out = dir.resolve("run");
        expectError(PfgmCommandTest.run("import", "--official", official, "--preset", "cifar10_ncsnpp", "--workdir", out.toString()),
                "differs from preset cifar10_ncsnpp's: imageSize 8 vs 32, nf 8 vs 128");
        expectError(PfgmCommandTest.run(args("import", "--official", fixture("ddpmpp.npz").toString(), "--preset",
                "cifar10_ncsnpp", "--workdir", out.toString())), "kind DDPMPP vs NCSNPP");
        expectError(PfgmCommandTest.run("import", "--official", official, "--preset", "mnist_small", "--workdir", out.toString()),
                "differs from preset mnist_small's");
        Path pth = dir.resolve("checkpoint_26.pth");
        Files.write(pth, new byte[] {1, 2, 3});
        expectError(PfgmCommandTest.run(args("import", "--official", pth.toString(), "--preset", "cifar10_ncsnpp", "--workdir",
                out.toString())), "convert_official.py");
        Path other = dir.resolve("other.npz");
        NumPy.writeAll(other, Map.of("a", manager.ones(new Shape(2))));
        expectError(PfgmCommandTest.run(args("import", "--official", other.toString(), "--preset", "cifar10_ncsnpp", "--workdir",
                out.toString())), "not a converted official checkpoint");

        // Converted without --config: the names and shapes are still checked, first offender named.
        Map<String, NDArray> arrays = new LinkedHashMap<>(NumPy.readAll(manager, fixture("ncsnpp.npz")));
        arrays.keySet().removeIf(k -> k.startsWith("config/"));
        arrays.remove("ema/all_modules.7.Conv_1.bias");
        Path bare = dir.resolve("bare.npz");
        NumPy.writeAll(bare, arrays);
        expectError(PfgmCommandTest.run(args("import", "--official", bare.toString(), "--preset", "cifar10_ncsnpp", "--workdir",
                out.toString())), "parameter all_modules.7.Conv_1.bias (the kit's");
        expectError(PfgmCommandTest.run("import", "--official", bare.toString(), "--preset", "cifar10_ncsnpp", "--workdir",
                out.toString()), "parameter all_modules.0.W has shape (8) in the model weights");
        expectError(PfgmCommandTest.run("field", "--charges", official, "--points", official, "--ema", "--out",
                dir.resolve("o.npy").toString()), "--ema");
        assertTrue(!Files.exists(out.resolve("checkpoint.npz")), "no run is left behind by a failed import");
        Run help = PfgmCommandTest.run("import", "--help");
        assertEquals(0, help.exitCode());
        String usage = new picocli.CommandLine(new ImportCommand()).getUsageMessage();
        assertTrue(usage.contains("--official") && usage.contains("convert_official.py"), usage);
    }

    private static void expectError(Run r, String fragment) {
        assertEquals(1, r.exitCode(), "exit code; stderr: " + r.err());
        assertTrue(r.err().startsWith("pfgm: error: ") && r.err().contains(fragment), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    }
}
