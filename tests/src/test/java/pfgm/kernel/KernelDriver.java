package pfgm.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The pfgm kernel, started and spoken to by Debian's jupyter_client through jupyter_driver.py:
 * each request is one JSON line to the driver, each answer one JSON line back.
 */
final class KernelDriver implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(120);

    private final Process process;
    private final PrintWriter requests;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();

    private KernelDriver(Process process) {
        this.process = process;
        this.requests = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readAnswers, "jupyter-driver-answers");
        reader.setDaemon(true);
        reader.start();
    }

    static KernelDriver start() throws Exception {
        return start(Map.of());
    }

    /** A kernel whose process (and so the kernel's JVM) has {@code environment} added to the test's. */
    static KernelDriver start(Map<String, String> environment) throws Exception {
        Jupyter.requireInstalled();
        Path script = Path.of(KernelDriver.class.getResource("/kernel/jupyter_driver.py").toURI());
        ProcessBuilder builder = new ProcessBuilder(Jupyter.PYTHON, script.toString(), "pfgm-java")
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(environment);
        builder.environment().put("JUPYTER_PATH", Jupyter.KERNEL_SPECS.toString());
        KernelDriver driver = new KernelDriver(builder.start());
        JsonObject ready = driver.next(START_TIMEOUT);
        assertTrue(ready.has("ready"), "the kernel did not start: " + ready);
        return driver;
    }

    Execution execute(String code) {
        JsonObject request = request("execute");
        request.addProperty("code", code);
        return new Execution(code, call(request));
    }

    /** Runs code that must succeed. */
    Execution ok(String code) {
        Execution run = execute(code);
        assertEquals("ok", run.status(), run::toString);
        return run;
    }

    /** Runs code that must fail; returns the failure. */
    Execution failing(String code) {
        Execution run = execute(code);
        assertEquals("error", run.status(), run::toString);
        return run;
    }

    /** Sends a request ("op" and its fields) and returns the driver's answer. */
    JsonObject call(JsonObject request) {
        requests.println(request);
        JsonObject answer = next(REQUEST_TIMEOUT);
        if (answer.has("failure")) {
            fail("jupyter driver: " + answer.get("failure").getAsString() + " (request " + request + ")");
        }
        return answer;
    }

    /** Shift-Tab: the inspect_reply for the code with the cursor at its end. */
    JsonObject inspect(String code, int detailLevel) {
        JsonObject request = request("inspect");
        request.addProperty("code", code);
        request.addProperty("cursor", code.length());
        request.addProperty("detail_level", detailLevel);
        return call(request);
    }

    /** Tab: the complete_reply for the code with the cursor at its end. */
    JsonObject complete(String code) {
        JsonObject request = request("complete");
        request.addProperty("code", code);
        request.addProperty("cursor", code.length());
        return call(request);
    }

    static JsonObject request(String op) {
        JsonObject request = new JsonObject();
        request.addProperty("op", op);
        return request;
    }

    private JsonObject next(Duration timeout) {
        try {
            String line = answers.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(line, "no answer from the jupyter driver in " + timeout.toSeconds() + " s (alive: " + process.isAlive() + ")");
            return JsonParser.parseString(line).getAsJsonObject();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void readAnswers() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                answers.add(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closing the driver's input makes it shut the kernel down the way Jupyter does. */
    @Override
    public void close() throws InterruptedException {
        requests.close();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
