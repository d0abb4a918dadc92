package pfgm.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pfgm.run.RunSettings;

/**
 * pfgm bench devices (environment/gpu-check) on this machine: the CPU against itself, which must
 * agree exactly, and the verdict's rules on hand-made numbers. Nothing here runs on a GPU.
 */
class DeviceCheckTest {
    private static DeviceCheck.Side side(double fid, double... losses) {
        return new DeviceCheck.Side("gpu(0)", losses, fid, 1, 1, 1);
    }

    @Test
    void theCpuAgainstItselfGivesTheSameLossesAndFidFromTheSharedStart(@TempDir Path dir) throws Exception {
        Map<String, String> small = new LinkedHashMap<>(); // applied in order: the small batch first
        small.put("smallBatchSize", "8");
        small.put("batchSize", "32");
        small.put("network.nf", "8");
        small.put("snapshotEvery", "0");
        RunSettings settings = new RunSettings("mnist_small", small);
        DeviceCheck check = new DeviceCheck(new DeviceCheck.Plan(settings, 4, 20, 10, "euler-5", 3), dir);
        check.start();
        DeviceCheck.Side a = check.run(Device.cpu(), "a");
        DeviceCheck.Side b = check.run(Device.cpu(), "b");
        assertEquals(4, a.losses().length);
        assertArrayEquals(b.losses(), a.losses(), 0);
        assertEquals(b.fid(), a.fid(), 0);
        assertTrue(Double.isFinite(a.fid()) && a.fid() > 0, "FID " + a.fid());
        DeviceCheck.Verdict verdict = DeviceCheck.compare(a, b, DeviceCheck.Tolerances.DEFAULT);
        assertTrue(verdict.agree(), String.join("\n", verdict.lines()));
        assertEquals("verdict: PASS, cpu() and cpu() agree", verdict.lines().get(verdict.lines().size() - 1));
    }

    @Test
    void eachComparisonFailsOnItsOwnAndSaysWhichOne() {
        var reference = new DeviceCheck.Side("cpu()", new double[] {1.0, 1.0, 1.0, 1.0}, 20, 4, 2, 1);
        var tolerances = new DeviceCheck.Tolerances(0.01, 2, 0.1, 0.1);
        // within every tolerance: 0.5% on the first step, windows 0.75% and 5% apart, FID 5% apart
        var close = DeviceCheck.compare(side(21, 1.005, 1.0, 1.05, 1.05), reference, tolerances);
        assertTrue(close.agree(), String.join("\n", close.lines()));
        assertEquals(2, close.curves().rowCount());
        assertEquals(0.05, close.curves().doubleColumn("apart").get(1), 1e-12);
        assertTrue(close.lines().get(3).startsWith("speed-up of gpu(0) over cpu(): training 4.00x (1.0 s against 4.0 s)"),
                close.lines().get(3));

        var firstStep = DeviceCheck.compare(side(20, 1.02, 1.0, 1.0, 1.0), reference, tolerances);
        assertFalse(firstStep.agree());
        assertTrue(firstStep.lines().get(0).endsWith("2.00% apart (at most 1.00%): FAIL"), firstStep.lines().get(0));

        var drift = DeviceCheck.compare(side(20, 1.0, 1.0, 1.3, 1.3), reference, tolerances);
        assertFalse(drift.agree());
        assertTrue(drift.lines().get(1).contains("at most 30.0% apart (up to step 5"), drift.lines().get(1));

        var fid = DeviceCheck.compare(side(23, 1, 1, 1, 1), reference, tolerances);
        assertFalse(fid.agree());
        assertTrue(fid.lines().get(2).endsWith("15.0% apart (at most 10.0%): FAIL"), fid.lines().get(2));

        var diverged = DeviceCheck.compare(side(20, 1, Double.NaN, 1, 1), reference, tolerances);
        assertFalse(diverged.agree());
        assertTrue(diverged.lines().get(0).contains("not all finite: FAIL"), diverged.lines().get(0));
    }
}
