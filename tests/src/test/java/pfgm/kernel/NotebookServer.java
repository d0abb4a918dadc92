package pfgm.kernel;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Jupyter Notebook server as environment/notebook starts it, on a free loopback port with
 * a token, serving one folder, with Jupyter's configuration and runtime files in that folder's
 * parent so the user's own do not take part. Closing it stops the server and the kernels it started.
 */
final class NotebookServer implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3); // environment/notebook may rebuild first

    private final Process process;
    private final URI base;
    private final String token;

    private NotebookServer(Process process, URI base, String token) {
        this.process = process;
        this.base = base;
        this.token = token;
    }

    /** Serves {@code notebooks}; {@code environment} reaches the kernels (PFGM_RUNS, ...); output goes to {@code log}. */
    static NotebookServer start(Path root, Path notebooks, Path work, Map<String, String> environment, Path log) throws IOException {
        int port = freeLoopbackPort();
        String token = UUID.randomUUID().toString().replace("-", "");
        ProcessBuilder builder = new ProcessBuilder(List.of(root.resolve("environment/notebook").toString(),
                "--no-browser", "--ip=127.0.0.1", "--port=" + port, "--port-retries=0",
                "--NotebookApp.token=" + token, "--notebook-dir=" + notebooks))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        builder.environment().put("JUPYTER_CONFIG_DIR", Files.createDirectories(work.resolve("jupyter-config")).toString());
        builder.environment().put("JUPYTER_RUNTIME_DIR", Files.createDirectories(work.resolve("jupyter-runtime")).toString());
        NotebookServer server = new NotebookServer(builder.start(), URI.create("http://127.0.0.1:" + port + "/"), token);
        server.awaitReady(log);
        return server;
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void awaitReady(Path log) {
        Poll.until(START_TIMEOUT, "the notebook server at " + base + " (log: " + log + ")", () -> {
            if (!process.isAlive()) {
                fail("environment/notebook ended with exit code " + process.exitValue() + "; see " + log);
            }
            return status() == 200 ? Optional.of(true) : Optional.empty();
        });
    }

    private int status() {
        try {
            HttpURLConnection connection = (HttpURLConnection) base.resolve("api/status?token=" + token).toURL().openConnection();
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(2000);
            try {
                return connection.getResponseCode();
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            return -1; // not listening yet
        }
    }

    /** The page of a notebook in the served folder, with the token, as the server prints it for a person to open. */
    URI notebook(String name) {
        return base.resolve("notebooks/" + name + "?token=" + token);
    }

    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> started = process.descendants().toList(); // the kernels
        process.destroy(); // SIGTERM: the server shuts its kernels down
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        for (ProcessHandle kernel : started) {
            if (kernel.isAlive()) {
                kernel.destroyForcibly();
            }
        }
    }
}
