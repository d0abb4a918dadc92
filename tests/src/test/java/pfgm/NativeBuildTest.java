package pfgm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pfgm.io.Folders;

/**
 * The switch between PyTorch's CPU and CUDA native libraries (environment/use-cuda,
 * environment/native.sh, the root pom's native-flavor execution), run for real on a copy of the
 * library's part of the checkout: its POMs, sources, scripts and compiled classes, built by Maven
 * offline without compiling ({@code .mvn/maven.config}), so the launcher runs the real library.
 * On a machine without the CUDA jar in the local repository (this one) switching on must fail with
 * one clear line and change nothing; where the jar is there, it must switch and switch back.
 */
class NativeBuildTest {
    private static final Path LOCAL_CUDA = Path.of(System.getProperty("user.home"),
            ".m2/repository/ai/djl/pytorch/pytorch-native-cu124");
    private static final String CPU_JAR = "pytorch-native-cpu-2.5.1-linux-x86_64.jar";
    private static final String CUDA_JAR = "pytorch-native-cu124-2.5.1-linux-x86_64.jar";

    @TempDir
    Path root;

    record Result(int exitCode, String out, String err) {}

    @Test
    void theLauncherRebuildsWhenTheChoiceOrTheSourcesChangedAndKeepsOneNativeLibrary() throws Exception {
        copyCheckout();
        Path lib = root.resolve("lib/target/lib");

        Result first = run("environment/bin/pfgm", "presets");
        assertEquals(0, first.exitCode(), first.err());
        assertTrue(first.err().contains("pfgm: building the library (mvn package, cpu native library)"), first.err());
        assertTrue(first.out().contains("mnist_small"), first.out());
        assertEquals(List.of(CPU_JAR), nativeJars(lib));
        assertEquals("cpu", Files.readString(root.resolve("lib/target/native-flavor")));

        Result again = run("environment/bin/pfgm", "presets");
        assertFalse(again.err().contains("building"), "nothing changed: " + again.err());

        // A checkout last built with CUDA, and a native jar of an older PyTorch: both leave target/lib.
        Files.writeString(root.resolve("lib/target/native-flavor"), "cuda");
        Files.writeString(lib.resolve(CUDA_JAR), "stale");
        Files.writeString(lib.resolve("pytorch-native-cpu-2.4.0-linux-x86_64.jar"), "stale");
        Result switched = run("environment/bin/pfgm", "presets");
        assertEquals(0, switched.exitCode(), switched.err());
        assertTrue(switched.err().contains("building the library"), "the build holds the other native library: " + switched.err());
        assertEquals(List.of(CPU_JAR), nativeJars(lib));
        assertEquals("cpu", Files.readString(root.resolve("lib/target/native-flavor")));

        // A source edited after the build (the stamp, not the jar, says when the last build was).
        Path source = root.resolve("lib/src/main/java/pfgm/util/Rng.java");
        Files.setLastModifiedTime(source, FileTime.fromMillis(
                Files.getLastModifiedTime(root.resolve("lib/target/native-flavor")).toMillis() + 2000));
        assertTrue(run("environment/bin/pfgm", "presets").err().contains("building the library"));
    }

    @Test
    void useCudaSwitchesOnlyWhenTheBuildSucceeds() throws Exception {
        copyCheckout();
        Path choice = root.resolve("environment/native-flavor");
        Path lib = root.resolve("lib/target/lib");
        Result off = run("environment/use-cuda", "off");
        assertEquals(0, off.exitCode(), off.err());
        assertTrue(off.out().contains("now builds and runs with PyTorch's cpu native library (lib/target/lib/" + CPU_JAR + ")"),
                off.out());
        assertEquals("cpu", Files.readString(choice).strip());

        Result on = run("environment/use-cuda", "on");
        if (hasCudaJar()) {
            assertEquals(0, on.exitCode(), on.err());
            assertEquals("cuda", Files.readString(choice).strip());
            assertEquals(List.of(CUDA_JAR), nativeJars(lib));
            assertEquals(0, run("environment/use-cuda", "off").exitCode());
            assertEquals(List.of(CPU_JAR), nativeJars(lib));
        } else {
            assertEquals(1, on.exitCode(), on.err());
            List<String> lines = on.err().lines().filter(l -> !l.startsWith("use-cuda: building")).toList();
            assertEquals(1, lines.size(), on.err());
            assertTrue(lines.get(0).startsWith("use-cuda: cannot build with the CUDA native library: Maven could not get it (")
                    && lines.get(0).contains("pytorch-native-cu124") && lines.get(0).contains("environment/use-cuda off"), lines.get(0));
            assertEquals("cpu", Files.readString(choice).strip(), "a failed switch changes nothing");
            assertEquals(List.of(CPU_JAR), nativeJars(lib));
            // The launcher sees the choice the moment it changes, and gives the same message.
            Files.writeString(choice, "cuda\n");
            Result launcher = run("environment/bin/pfgm", "presets");
            assertEquals(1, launcher.exitCode());
            assertTrue(launcher.err().contains("pfgm: cannot build with the CUDA native library"), launcher.err());
            Files.writeString(choice, "cpu\n");
        }
        assertEquals("chosen: cpu; lib/target holds: cpu", run("environment/use-cuda").out().strip());

        Result wrong = run("environment/use-cuda", "yes");
        assertEquals(1, wrong.exitCode());
        assertEquals("use-cuda: unknown argument 'yes': say on (the CUDA build), off (the CPU build) or nothing (show the choice)",
                wrong.err().strip());
        Files.writeString(choice, "rocm\n");
        Result damaged = run("environment/bin/pfgm", "presets");
        assertEquals(1, damaged.exitCode());
        assertTrue(damaged.err().startsWith("pfgm: " + choice + " holds 'rocm', not cpu or cuda"), damaged.err());
    }

    /** gpu-check on a machine without a GPU: says so, exits 0, and switches nothing to CUDA. */
    @Test
    void gpuCheckWithoutAGpuSaysSoAndChangesNothing() throws Exception {
        copyCheckout();
        Path bin = Files.createDirectories(root.resolve("fake-bin"));
        String path = bin + ":/usr/bin:/bin";
        Result none = run(Map.of("PATH", path), "environment/gpu-check");
        assertEquals(0, none.exitCode(), none.err());
        assertEquals("gpu-check: no NVIDIA GPU here (nvidia-smi is not installed): nothing to check", none.out().strip());
        // A driver's tool without a device, as nvidia-smi answers in a container without the GPU passed in.
        Path smi = bin.resolve("nvidia-smi");
        Files.writeString(smi, "#!/bin/sh\necho 'No devices were found'\nexit 6\n");
        smi.toFile().setExecutable(true);
        Result noDevice = run(Map.of("PATH", path), "environment/gpu-check");
        assertEquals(0, noDevice.exitCode(), noDevice.err());
        assertEquals("gpu-check: no NVIDIA GPU here (nvidia-smi -L: No devices were found): nothing to check",
                noDevice.out().strip());
        assertFalse(Files.exists(root.resolve("environment/native-flavor")), "the CPU build stays chosen");
    }

    private static boolean hasCudaJar() throws IOException {
        if (!Files.isDirectory(LOCAL_CUDA)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(LOCAL_CUDA)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith("linux-x86_64.jar"));
        }
    }

    private static List<String> nativeJars(Path lib) throws IOException {
        try (Stream<Path> files = Files.list(lib)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("pytorch-native-")).sorted().toList();
        }
    }

    /** The library's part of the checkout, with its compiled classes; Maven offline and without compiling. */
    private void copyCheckout() throws IOException {
        Path real = PfgmProcess.ROOT;
        for (String file : List.of("pom.xml", "lib/pom.xml", "environment/native.sh", "environment/use-cuda",
                "environment/bin/pfgm", "environment/bin/omp-wait",
                "environment/gpu-check")) {
            Files.createDirectories(root.resolve(file).getParent());
            Files.copy(real.resolve(file), root.resolve(file), StandardCopyOption.COPY_ATTRIBUTES);
        }
        Folders.copy(real.resolve("lib/src/main"), root.resolve("lib/src/main"));
        Folders.copy(real.resolve("lib/target/classes"), root.resolve("lib/target/classes"));
        Files.createDirectories(root.resolve(".mvn"));
        Files.writeString(root.resolve(".mvn/maven.config"), "-o -Dmaven.main.skip=true");
    }


    private Result run(String script, String... args) throws Exception {
        return run(Map.of(), script, args);
    }

    private Result run(Map<String, String> environment, String script, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("bash", root.resolve(script).toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile());
        builder.environment().remove("PFGM_CUDA");
        builder.environment().putAll(environment);
        builder.environment().put("TMPDIR", root.toString()); // where a failed build leaves Maven's output
        Path out = Files.createTempFile(root, "out", ".txt");
        Path err = Files.createTempFile(root, "err", ".txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(process.waitFor(10, TimeUnit.MINUTES), script + " finished");
        Result result = new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return result;
    }
}
