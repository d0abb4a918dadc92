package pfgm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pfgm.cli.PfgmCommandTest.expectError;

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
 * The same for score-SDE's checkpoints (make_sde_fixture.py: their scores are OfficialSdeScoreTest's),
 * and the messages that refuse a checkpoint of another method.
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
        assertEquals("8", checkpoint.meta().settings().get("network.imageSize"), checkpoint.meta().settings().toString());
        assertEquals("8", checkpoint.meta().settings().get("network.nf"), checkpoint.meta().settings().toString());

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

    /** score-SDE's checkpoints (make_sde_fixture.py) import into its presets and sample like any run. */
    @Test
    void importedScoreSdeRunsSample() throws Exception {
        for (String[] c : new String[][] {{"vp_ddpmpp", "cifar10_vp_ddpmpp", "2011", "euler"}, {"ve_ncsnpp", "cifar10_ve_ncsnpp",
            "2013", "pc"}}) {
            Path workdir = dir.resolve(c[0]);
            Run imported = PfgmCommandTest.run(args("import", "--official", fixture("sde_" + c[0] + ".npz").toString(), "--preset",
                    c[1], "--workdir", workdir.toString()));
            assertEquals(0, imported.exitCode(), imported.err());
            assertTrue(imported.out().contains("official step " + c[2]), imported.out());
            assertEquals(c[0].startsWith("ve"), imported.out().contains("its sigma labels are rescaled by 2 for the kit's [-1, 1]"),
                    imported.out());
            Path samples = dir.resolve(c[0] + ".npy");
            Run sample = PfgmCommandTest.run("sample", "--workdir", workdir.toString(), "--n", "2", "--solver", c[3], "--steps", "3",
                    "--out", samples.toString());
            assertEquals(0, sample.exitCode(), sample.err());
            assertTrue(sample.out().contains("run at step " + c[2]), sample.out());
            NDArray y = NumPy.read(manager, samples);
            assertEquals(new Shape(2, 192), y.getShape());
            assertTrue(y.isInfinite().logicalOr(y.isNaN()).none().getBoolean(), c[0] + " samples are finite");
        }
    }

    /** A checkpoint of another method, SDE or data scaling than the preset's: one message naming what differs. */
    @Test
    void aCheckpointOfAnotherMethodIsRefusedNamingWhatDiffers() throws Exception {
        String out = dir.resolve("run").toString();
        String pfgm = fixture("ddpmpp.npz").toString();
        String vp = fixture("sde_vp_ddpmpp.npz").toString();
        String ve = fixture("sde_ve_ncsnpp.npz").toString();
        expectError(PfgmCommandTest.run(args("import", "--official", pfgm, "--preset", "cifar10_vp_ddpmpp", "--workdir", out)),
                "differs from preset cifar10_vp_ddpmpp's: method pfgm vs vp (pfgm's network outputs C + 1 = 4 channels, v_x "
                        + "and v_z; vp's outputs C = 3, the score) (checkpoint vs preset)");
        expectError(PfgmCommandTest.run(args("import", "--official", vp, "--preset", "cifar10_ddpmpp", "--workdir", out)),
                "method vp vs pfgm (vp's outputs C = 3, the score; pfgm's network outputs C + 1 = 4 channels, v_x and v_z) "
                        + "(checkpoint");
        expectError(PfgmCommandTest.run(args("import", "--official", ve, "--preset", "cifar10_vp_ddpmpp", "--workdir", out)),
                "method ve vs vp, kind NCSNPP vs DDPMPP, embedding FOURIER vs POSITIONAL (checkpoint vs preset)");
        expectError(PfgmCommandTest.run(args("import", "--official", vp, "--preset", "cifar10_subvp_ddpmpp", "--workdir", out)),
                "differs from preset cifar10_subvp_ddpmpp's: method vp vs subvp (checkpoint");
        expectError(PfgmCommandTest.run(args("import", "--official", ve, "--preset", "cifar10_ve_ncsnpp", "--workdir", out, "--set",
                "sde.sigmaMax=50")), "sde.sigmaMax 100 (sigma_max 50 in the checkpoint's [0, 1] data, times 2 for the kit's "
                        + "[-1, 1]) vs 50 (checkpoint");
        expectError(PfgmCommandTest.run(args("import", "--official", vp, "--preset", "cifar10_vp_ddpmpp", "--workdir", out, "--set",
                "sde.betaMax=10")), "sde.betaMax 20 vs 10");

        // Converted without --config: the embedding and the output layer still tell.
        expectError(PfgmCommandTest.run(args("import", "--official", bare(pfgm, "pfgm"), "--preset", "cifar10_vp_ddpmpp", "--workdir",
                out)), "has 4 channels, the preset's network 3: a PFGM network (C + 1 outputs, v_x and v_z) cannot serve an SDE");
        expectError(PfgmCommandTest.run(args("import", "--official", bare(vp, "vp"), "--preset", "cifar10_ddpmpp", "--workdir",
                out)), "has 3 channels, the preset's network 4: a score network of the SDEs (C outputs) cannot serve PFGM");
        expectError(PfgmCommandTest.run(args("import", "--official", bare(ve, "ve"), "--preset", "cifar10_vp_ddpmpp", "--workdir",
                out)), "embeds its label with Gaussian Fourier features (all_modules.0.W) where the preset's network uses the "
                        + "sinusoidal embedding");
        // Weights that fit an SDE preset still need the config: VP and sub-VP share the network, VE's data scale is in it.
        expectError(PfgmCommandTest.run(args("import", "--official", bare(ve, "ve"), "--preset", "cifar10_ve_ncsnpp", "--workdir",
                out)), "converted without --config; for method ve the import needs the config's SDE and data scaling");

        // What no preset can take.
        expectError(PfgmCommandTest.run(args("import", "--official", withConfig(vp, "continuous", manager.create(false)),
                "--preset", "cifar10_vp_ddpmpp", "--workdir", out)), "cannot be imported: training.continuous = False");
        expectError(PfgmCommandTest.run(args("import", "--official", withConfig(vp, "centered", manager.create(false)),
                "--preset", "cifar10_vp_ddpmpp", "--workdir", out)), "cannot be imported: data.centered = False with vp");
        expectError(PfgmCommandTest.run(args("import", "--official", withConfig(vp, "sde", text("vesde")), "--preset",
                "cifar10_ve_ncsnpp", "--workdir", out)), "cannot be imported: scale_by_sigma = False with VE");
        expectError(PfgmCommandTest.run(args("import", "--official", withConfig(vp, "name", text("ddpm")), "--preset",
                "cifar10_vp_ddpmpp", "--workdir", out)), "model.name = 'ddpm'");
        expectError(PfgmCommandTest.run(args("import", "--official", withConfig(vp, "sde", text("cld")), "--preset",
                "cifar10_vp_ddpmpp", "--workdir", out)), "training.sde = 'cld'");
        assertTrue(!Files.exists(dir.resolve("run").resolve("checkpoint.npz")), "no run is left behind by a failed import");
    }

    private NDArray text(String value) {
        return manager.create(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The fixture without its config/ entries, as convert_official.py writes it without --config. */
    private String bare(String fixture, String name) throws Exception {
        Map<String, NDArray> arrays = new LinkedHashMap<>(NumPy.readAll(manager, Path.of(fixture)));
        arrays.keySet().removeIf(k -> k.startsWith("config/"));
        Path file = dir.resolve("bare-" + name + ".npz");
        NumPy.writeAll(file, arrays);
        return file.toString();
    }

    /** The fixture with one config/ entry replaced. */
    private String withConfig(String fixture, String key, NDArray value) throws Exception {
        Map<String, NDArray> arrays = new LinkedHashMap<>(NumPy.readAll(manager, Path.of(fixture)));
        arrays.put("config/" + key, value);
        Path file = dir.resolve("config-" + key + "-" + arrays.size() + "-" + System.nanoTime() + ".npz");
        NumPy.writeAll(file, arrays);
        return file.toString();
    }
}
