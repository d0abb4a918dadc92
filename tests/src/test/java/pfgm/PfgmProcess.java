package pfgm;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import pfgm.util.Threads;

/**
 * Test helper: the pfgm command in a process of its own (this JVM, the library as built, this
 * process's PyTorch threads, so its numbers equal an in-process run's), to kill for real.
 */
public final class PfgmProcess {
    public static final Path ROOT = Path.of(System.getProperty("pfgm.root", "..")).toAbsolutePath().normalize();

    private PfgmProcess() {}

    /** Starts {@code pfgm ARGS}, its output going to {@code log}. */
    public static Process start(Path log, String... args) throws IOException {
        return start(log, Map.of(), args);
    }

    /** {@link #start(Path, String...)} with {@code environment} added to this process's. */
    public static Process start(Path log, Map<String, String> environment, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Dai.djl.offline=true", "-D" + Threads.PROPERTY + "=" + System.getProperty(Threads.PROPERTY, "1"),
                "-cp", ROOT.resolve("lib/target/pfgm-lib.jar") + File.pathSeparator + ROOT.resolve("lib/target/lib/*"), "pfgm.cli.Pfgm"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        return builder.start();
    }
}
