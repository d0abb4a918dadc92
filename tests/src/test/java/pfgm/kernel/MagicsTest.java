package pfgm.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The magics a notebook writes at the top of a cell (%load, %lsmagic, %maven with this machine's
 * Maven settings) and what Tab and Shift-Tab offer on those lines. Hermetic %maven behaviour
 * (mirrors, profiles, offline, errors) is {@link MavenMagicTest}.
 */
class MagicsTest {
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

    @Test
    void lsmagicListsEveryMagicWithOneLineEach() {
        List<String> lines = kernel.ok("%lsmagic").resultText().lines().toList();
        assertEquals(List.of("%classpath", "%load", "%lsmagic", "%maven"), lines.stream().map(line -> line.split(" ")[0]).toList());
        assertTrue(lines.get(0).contains("adds jars or class folders"), lines::toString);
        assertTrue(lines.get(3).contains("group:artifact[:extension[:classifier]]:version"), lines::toString);
    }

    @Test
    void anUnknownMagicSaysWhichExistAndTheKernelCarriesOn() {
        Execution run = kernel.failing("%mvn org.example:thing:1.0");
        assertEquals("MagicException", run.reply().get("ename").getAsString());
        assertTrue(run.traceback().get(0).matches("cell \\[\\d+\\], line 1: unknown magic %mvn \\(the kernel knows %classpath, %jars, %load, %lsmagic, %maven; .*"),
                run::toString);
        assertEquals("3", kernel.ok("1 + 2").resultText());
    }

    @Test
    void tabAfterPercentOffersTheMagicNames() {
        JsonObject all = kernel.complete("%");
        assertEquals(List.of("%classpath", "%jars", "%load", "%lsmagic", "%maven"), Json.strings(all.get("matches")));
        assertEquals(0, all.get("cursor_start").getAsInt());

        String cell = "%classpath /tmp\n  %ma";
        JsonObject some = kernel.complete(cell);
        assertEquals(List.of("%maven"), Json.strings(some.get("matches")));
        assertEquals(cell.indexOf("%ma"), some.get("cursor_start").getAsInt(), "replaces from the %");

        JsonObject java = kernel.complete("int modulo = 7;\n%");
        assertTrue(Json.strings(java.get("matches")).stream().noneMatch(match -> match.startsWith("%")),
                "below the first Java line, % is Java's operator: " + java);
    }

    @Test
    void shiftTabOnAMagicLineShowsItsUsage() {
        JsonObject reply = kernel.inspect("%load", 0);
        assertTrue(reply.get("found").getAsBoolean(), reply::toString);
        assertEquals("%load <file>\nruns a file of Java snippets (and magic lines at its top) as if it were the cell",
                reply.getAsJsonObject("data").get("text/plain").getAsString());
    }

    @Test
    void loadRunsAFileAsTheCellAndKeepsWhatItDefines(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("helpers.jsh"), "int tripled(int x) {\n    return 3 * x;\n}\ntripled(4)\n");
        assertEquals("12", kernel.ok("%load " + file).resultText(), "the file's last expression is the cell's result");
        assertEquals("15", kernel.ok("tripled(5)").resultText());
        assertEquals("21", kernel.ok("%load " + file + "\ntripled(7)").resultText(), "the cell's own Java runs after the file");
    }

    @Test
    void loadReportsAnErrorAtItsLineInTheFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("broken.jsh"), "int fine = 1;\nint wrong = \"text\";\n");
        Execution run = kernel.failing("%load " + file);
        assertTrue(run.traceback().get(0).startsWith(file + ", line 2: incompatible types"), run::toString);
        assertTrue(run.traceback().contains("    int wrong = \"text\";"), run::toString);
    }

    @Test
    void loadRunsTheMagicLinesAtTheTopOfTheFile(@TempDir Path dir) throws Exception {
        Path jar = TestJars.write(dir.resolve("lib/shout.jar"), dir.resolve("work"),
                Map.of("demo.Shout", "package demo; public class Shout { public static String of(String s) { return s.toUpperCase(); } }"));
        Path file = Files.writeString(dir.resolve("setup.jsh"), "%classpath " + jar + "\nString shouted = demo.Shout.of(\"loaded\");\n");
        kernel.ok("%load " + file);
        assertEquals("LOADED", kernel.ok("shouted").resultText());
    }

    @Test
    void loadRefusesAMissingFileAndAFileThatLoadsItself(@TempDir Path dir) throws Exception {
        Execution missing = kernel.failing("%load " + dir.resolve("absent.jsh"));
        assertTrue(missing.traceback().get(0).contains("%load: no file " + dir.resolve("absent.jsh") + " (relative paths start at "), missing::toString);

        Path first = dir.resolve("first.jsh");
        Path second = Files.writeString(dir.resolve("second.jsh"), "%load " + first + "\n");
        Files.writeString(first, "%load " + second + "\n");
        Execution loop = kernel.failing("%load " + first);
        assertTrue(loop.traceback().get(0).contains("loads itself (" + first.toRealPath() + " -> " + second.toRealPath() + " -> " + first.toRealPath() + ")"),
                loop::toString);
        assertEquals("2", kernel.ok("1 + 1").resultText());
    }

    @Test
    void mavenAddsALibraryFromTheLocalRepositoryWithItsDependencies() throws Exception {
        // selenium-api is on this test's class path, so Maven has put it in the machine's local
        // repository; the kernel's class path does not have it. It needs jspecify at run time.
        String coordinate = LocalRepository.coordinateOf("org.seleniumhq.selenium", "selenium-api");
        Execution run = kernel.ok("%maven " + coordinate + "\nnew org.openqa.selenium.Dimension(3, 4).getWidth()");
        assertEquals("3", run.resultText());
        String added = run.stream("stdout");
        assertTrue(added.matches("(?s).*%maven: added to the class path: selenium-api-[^,]+\\.jar, jspecify-.*\\.jar\n"), added);
        assertFalse(added.contains("downloading"), "taken from the local repository: " + added);
        assertEquals("org.jspecify.annotations.Nullable", kernel.ok("org.jspecify.annotations.Nullable.class.getName()").resultText());
    }
}
