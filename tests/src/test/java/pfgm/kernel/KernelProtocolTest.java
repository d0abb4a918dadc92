package pfgm.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel as a notebook front end sees it: one kernel, started by Debian's jupyter_client from
 * this checkout's kernel spec, and the messages it answers with. Each test names its own variables.
 */
class KernelProtocolTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G'};

    private static KernelDriver kernel;

    @BeforeAll
    static void startKernel() throws Exception {
        kernel = KernelDriver.start();
    }

    @AfterAll
    static void stopKernel() throws Exception {
        if (kernel != null) {
            kernel.close();
        }
    }

    static Execution ok(String code) {
        return kernel.ok(code);
    }

    @Test
    void theLastExpressionIsTheCellsResult() {
        assertEquals("42", ok("int half = 21;\nhalf * 2").resultText());
        assertEquals("21", ok("half").resultText(), "a variable's name shows its value");
        assertNull(ok("int unshown = 1;").result(), "a declaration shows nothing");
    }

    @Test
    void stateCarriesFromCellToCell() {
        ok("String greeting = \"hello\";\nString shout(String s) { return s.toUpperCase() + \"!\"; }");
        assertEquals("HELLO!", ok("shout(greeting)").resultText());
    }

    @Test
    void standardOutputStreamsWhileTheCellRuns() {
        Execution run = ok("System.out.println(\"first\");\nThread.sleep(1500);\nSystem.out.print(\"last, no newline\");\nSystem.err.print(\"warning\");");
        assertEquals("first\nlast, no newline", run.stream("stdout"));
        assertEquals("warning", run.stream("stderr"), "text without a newline reaches the cell too");
        double first = run.outputs("stream").get(0).get("t").getAsDouble();
        assertTrue(first < run.replyTime() - 1.0, "the first line arrived while the cell slept: " + run);
    }

    @Test
    void aCompileErrorIsReportedWithItsLineAndTheKernelCarriesOn() {
        ok("int kept = 7;");
        Execution run = kernel.execute("int fine = 1;\nint wrong = \"text\";");
        assertEquals("error", run.status());
        assertEquals("CompilationException", run.reply().get("ename").getAsString());
        List<String> traceback = run.traceback();
        assertTrue(traceback.get(0).contains("line 2: incompatible types"), traceback::toString);
        assertTrue(traceback.contains("    int wrong = \"text\";"), traceback::toString);
        assertTrue(traceback.contains("                ^^^^^^"), traceback::toString);
        assertEquals("7", ok("kept").resultText());
    }

    @Test
    void anExceptionGivesAShortTraceEndingInTheCellAndTheKernelCarriesOn() {
        ok("int parsed(String text) {\n  return Integer.parseInt(text);\n}");
        Execution run = kernel.execute("int ok = 1;\nparsed(\"not a number\")");
        assertEquals("error", run.status());
        List<String> traceback = run.traceback();
        assertEquals("java.lang.NumberFormatException: For input string: \"not a number\"", traceback.get(0));
        assertTrue(traceback.stream().anyMatch(line -> line.contains("parsed, cell [") && line.endsWith("line 2: return Integer.parseInt(text);")),
                traceback::toString);
        assertTrue(traceback.get(traceback.size() - 1).endsWith("line 2: parsed(\"not a number\")"), traceback::toString);
        assertTrue(traceback.size() <= 10, "short: " + traceback);
        assertEquals("2", ok("1 + 1").resultText());
    }

    @Test
    void anInterruptStopsAnEndlessLoop() {
        ok("long spins = 0;");
        JsonObject request = KernelDriver.request("interrupt");
        request.addProperty("code", "while (true) { spins++; }");
        request.addProperty("delay", 1.0);
        Execution run = new Execution("while (true)", kernel.call(request));
        assertEquals("error", run.status());
        assertEquals("CellInterruptedException", run.reply().get("ename").getAsString());
        assertTrue(run.replyTime() < 10, "stopped soon after the interrupt: " + run.replyTime() + " s");
        assertTrue(Long.parseLong(ok("spins").resultText()) > 0, "the loop ran and its state stays");
    }

    @Test
    void aChartDisplaysAsPngAndAsSvgWhenAsked() {
        String chart = "var squares = new XYChartBuilder().width(300).height(200).title(\"squares\").build();\n"
                + "squares.addSeries(\"x^2\", new double[] {1, 2, 3}, new double[] {1, 4, 9});\n";
        Execution shown = ok(chart + "display(squares);\nsquares");
        assertPng(shown.outputs("display_data").get(0).getAsJsonObject("content").getAsJsonObject("data"));
        assertPng(shown.result());

        JsonObject svg = ok("display(squares, \"image/svg+xml\");").outputs("display_data").get(0)
                .getAsJsonObject("content").getAsJsonObject("data");
        assertTrue(svg.get("image/svg+xml").getAsString().contains("<svg"), svg::toString);
        assertFalse(svg.has("image/png"), "only the type asked for (and text)");
    }

    @Test
    void aTablesawTableDisplaysAsHtml() {
        JsonObject result = ok("Table.create(\"runs\", IntColumn.create(\"steps\", 10, 20), StringColumn.create(\"solver\", \"<euler>\", \"rk45\"))").result();
        String html = result.get("text/html").getAsString();
        assertTrue(html.startsWith("<table>"), html);
        assertTrue(html.contains("<th>steps</th><th>solver</th>"), html);
        assertTrue(html.contains("<td>&lt;euler&gt;</td>"), "cells are escaped: " + html);
        assertTrue(result.get("text/plain").getAsString().contains("rk45"), "text front ends get the table too");
    }

    @Test
    void aBufferedImageDisplaysAsPng() {
        assertPng(ok("new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB)").result());
    }

    @Test
    void updateDisplayRedrawsTheOutputItNames() {
        Execution run = ok("String progress = display(\"epoch 0\");\nfor (int e = 1; e <= 3; e++) updateDisplay(progress, \"epoch \" + e);\nprogress");
        JsonObject shown = run.outputs("display_data").get(0).getAsJsonObject("content");
        String id = shown.getAsJsonObject("transient").get("display_id").getAsString();
        assertEquals(id, run.resultText());
        List<JsonObject> updates = run.outputs("update_display_data");
        assertEquals(3, updates.size(), run::toString);
        for (JsonObject update : updates) {
            assertEquals(id, update.getAsJsonObject("content").getAsJsonObject("transient").get("display_id").getAsString());
        }
        assertEquals("epoch 3", updates.get(2).getAsJsonObject("content").getAsJsonObject("data").get("text/plain").getAsString());
    }

    @Test
    void aMessageWithAWrongSignatureIsDroppedAndTheKernelStaysAlive() {
        JsonObject request = KernelDriver.request("forged");
        request.addProperty("code", "int forged = 1;");
        assertFalse(kernel.call(request).get("replied").getAsBoolean(), "no reply to a forged message");
        Execution probe = kernel.execute("forged");
        assertEquals("error", probe.status(), "the forged cell never ran: " + probe);
        assertEquals("2", ok("1 + 1").resultText());
    }

    @Test
    void completionOffersJShellsCandidates() {
        String code = "String word = \"pfgm\";\nword.len";
        JsonObject reply = kernel.complete(code);
        assertEquals("ok", reply.get("status").getAsString());
        assertTrue(Json.strings(reply.get("matches")).contains("length()"), reply::toString);
        assertEquals(code.length() - "len".length(), reply.get("cursor_start").getAsInt());
        assertEquals(code.length(), reply.get("cursor_end").getAsInt());
    }

    @Test
    void consolesLearnWhetherACellIsComplete() {
        assertEquals("complete", isComplete("int a = 1;\nint b = a + 1;"));
        assertEquals("incomplete", isComplete("for (int i = 0; i < 3; i++) {\n  System.out.println(i);"));
    }

    private static String isComplete(String code) {
        JsonObject request = KernelDriver.request("is_complete");
        request.addProperty("code", code);
        return kernel.call(request).get("status").getAsString();
    }

    @Test
    void theKernelListensOnlyWhereTheConnectionFileSaysAndRunsCellsInItsOwnJvm() {
        JsonObject sockets = kernel.call(KernelDriver.request("listening"));
        String ip = sockets.get("ip").getAsString();
        Set<String> expected = StreamSupport.stream(sockets.getAsJsonArray("ports").spliterator(), false)
                .map(port -> ip + ":" + port.getAsInt())
                .collect(Collectors.toSet());
        Set<String> listening = StreamSupport.stream(sockets.getAsJsonArray("listening").spliterator(), false)
                .map(JsonElement::getAsJsonObject)
                .map(socket -> socket.get("address").getAsString() + ":" + socket.get("port").getAsInt())
                .collect(Collectors.toSet());
        assertEquals(expected, listening);
        // the local execution engine: no second JVM, so display() reaches the kernel
        assertEquals(sockets.get("pid").getAsString(), ok("ProcessHandle.current().pid()").resultText());
    }

    @Test
    void theLibraryAndTheDefaultImportsAreThere() {
        assertEquals("6", ok("new Shape(2, 3).size()").resultText());
        assertEquals("pfgm.method.pfgm.Hyperparameters", ok("Hyperparameters.class.getName()").resultText());
        assertEquals("true", ok("Files.exists(Path.of(\".\")) && new ArrayList<>(List.of(1)).size() == 1").resultText());
        assertEquals("true", ok("java.awt.GraphicsEnvironment.isHeadless()").resultText());
    }

    @Test
    void theClasspathMagicAddsJarsByGlob(@TempDir Path dir) throws Exception {
        TestJars.write(dir.resolve("greeter.jar"), dir.resolve("work"),
                Map.of("demo.Greeter", "package demo; public class Greeter { public String greet() { return \"hello from a jar\"; } }"));
        assertEquals("hello from a jar", ok("%classpath " + dir + "/*.jar\nnew demo.Greeter().greet()").resultText());

        Execution missing = kernel.execute("%jars " + dir + "/nothing-*.jar");
        assertEquals("error", missing.status());
        assertTrue(missing.traceback().get(0).contains("no jar or folder matches"), missing::toString);
    }

    private static void assertPng(JsonObject data) {
        assertNotNull(data, "no display data");
        assertTrue(data.has("image/png"), data::toString);
        byte[] png = Base64.getDecoder().decode(data.get("image/png").getAsString());
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(png, 4));
    }
}
