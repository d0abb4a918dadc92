package pfgm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every place the library puts arrays on the CPU whatever the run's device says why. A forgotten
 * {@code Device.cpu()} costs nothing on this machine and fails (or silently slows a run) only on a
 * GPU, which the tests do not have; DJL has no "meta" device to run the suite on that would catch it
 * (its PyTorch engine maps cpu, gpu and mps only: {@code ai.djl.pytorch.engine.PtDeviceType}). So
 * this test reads the library's sources: {@code Device.cpu()}, {@code Device.of(...)},
 * {@code Device.fromName(...)} and a no-argument {@code newBaseManager()} (the engine's default
 * device: the GPU when there is one, the CPU otherwise, either of which may be wrong) must carry a
 * {@code // cpu: <why>} comment on their line or in the comment lines just above.
 */
class DevicePlacementAuditTest {
    private static final Pattern PLACEMENT = Pattern.compile("Device\\.cpu\\(\\)|Device\\.(of|fromName)\\(|newBaseManager\\(\\s*\\)");
    /** The marker with a reason of at least a few words after it. */
    private static final Pattern REASON = Pattern.compile("//\\s*cpu:\\s*\\S.{10,}");

    @Test
    void everyFixedPlacementInTheLibrarySaysWhy() throws IOException {
        Path sources = PfgmProcess.ROOT.resolve("lib/src/main/java");
        List<String> findings = new ArrayList<>();
        int placements = 0;
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                List<String> lines = Files.readAllLines(file);
                placements += (int) lines.stream().filter(l -> PLACEMENT.matcher(code(l)).find()).count();
                findings.addAll(unexplained(sources.relativize(file).toString(), lines));
            }
        }
        // The audit reads real code: the library places arrays on the CPU in a couple of dozen places.
        assertTrue(placements > 20, "placements found: " + placements + " (is " + sources + " the library?)");
        assertEquals(List.of(), findings, "a CPU placement without '// cpu: <why>' on its line or just above: use the run's"
                + " device, or say why the CPU is right there");
    }

    @Test
    void anUnexplainedPlacementIsReportedWithItsLine() {
        List<String> source = List.of(
                "class A {",
                "    NDManager m = NDManager.newBaseManager(Device.cpu());",
                "    // cpu: the npz is read into Java values",
                "    NDManager n = NDManager.newBaseManager(Device.cpu());",
                "    NDManager o = NDManager.newBaseManager(); // cpu: Java values for a file",
                "    NDManager p = NDManager.newBaseManager();",
                "    // cpu:",
                "    Device q = Device.fromName(name);",
                "    // cpu: a reason that goes on",
                "    // over two lines",
                "    Device r = Device.cpu();",
                "    /** Javadoc may name Device.cpu() freely. */",
                "    Device s = device; // not Device.cpu(): the run's",
                "}");
        assertEquals(List.of("A.java:2: NDManager m = NDManager.newBaseManager(Device.cpu());",
                "A.java:6: NDManager p = NDManager.newBaseManager();",
                "A.java:8: Device q = Device.fromName(name);"), unexplained("A.java", source));
    }

    /** "file:line: code" for each placement in {@code lines} without a reason. */
    static List<String> unexplained(String file, List<String> lines) {
        List<String> findings = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (PLACEMENT.matcher(code(line)).find() && !REASON.matcher(line).find() && !reasonAbove(lines, i)) {
                findings.add(file + ":" + (i + 1) + ": " + line.strip());
            }
        }
        return findings;
    }

    /** The comment lines right above line i hold the marker. */
    private static boolean reasonAbove(List<String> lines, int i) {
        for (int k = i - 1; k >= 0 && lines.get(k).strip().startsWith("//"); k--) {
            if (REASON.matcher(lines.get(k)).find()) {
                return true;
            }
        }
        return false;
    }

    /** The line without comments: Javadoc and block-comment lines are not code, nor is what follows //. */
    private static String code(String line) {
        String stripped = line.strip();
        if (stripped.startsWith("*") || stripped.startsWith("/*")) {
            return "";
        }
        int comment = line.indexOf("//");
        return comment < 0 ? line : line.substring(0, comment);
    }
}
