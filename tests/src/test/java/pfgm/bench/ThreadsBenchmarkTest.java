package pfgm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import pfgm.bench.ThreadsBenchmark.Setup;
import pfgm.bench.ThreadsBenchmark.Times;
import pfgm.run.RunSettings;

/** The table of pfgm bench threads from known times (the processes themselves need Python torch, so not here). */
class ThreadsBenchmarkTest {
    @Test
    void setupsCoverOneThreadAndEveryCoreOnBothSides() {
        assertEquals(List.of(new Setup("kit", 1, "default"), new Setup("kit", 4, "default"), new Setup("kit", 4, "passive"),
                new Setup("PyTorch", 1, "default"), new Setup("PyTorch", 4, "default")), ThreadsBenchmark.setups(4));
        assertEquals(List.of(new Setup("kit", 1, "default"), new Setup("PyTorch", 1, "default")), ThreadsBenchmark.setups(1));
    }

    @Test
    void mediansOverRoundsAndRatiosToPytorchAtEveryCore() {
        Map<Setup, List<Times>> times = new LinkedHashMap<>();
        List<Setup> setups = ThreadsBenchmark.setups(2);
        times.put(setups.get(0), List.of(new Times(900, 250, 260), new Times(1000, 240, 250), new Times(950, 245, 255)));
        times.put(setups.get(1), List.of(new Times(600, 170, 180), new Times(500, 160, 170), new Times(550, 165, 175)));
        times.put(setups.get(2), List.of(new Times(700, 190, 200), new Times(650, 185, 190), new Times(660, 186, 195)));
        times.put(setups.get(3), List.of(new Times(980, Double.NaN, 270), new Times(990, Double.NaN, 280),
                new Times(1000, Double.NaN, 275)));
        times.put(setups.get(4), List.of(new Times(800, Double.NaN, 250), new Times(750, Double.NaN, 260),
                new Times(780, Double.NaN, 240)));
        var table = ThreadsBenchmark.table(new ThreadsBenchmark.Result(RunSettings.of("mnist_small"), 64, 2, 0, "1.13", times));
        assertEquals(List.of(950.0, 550.0, 660.0, 990.0, 780.0), table.doubleColumn("train step ms").asList());
        assertEquals(List.of(1.218, 0.705, 0.846, 1.269, 1.0), table.doubleColumn("vs PyTorch default").asList());
        assertEquals(List.of(1.02, 0.7, 0.78, 1.1, 1.0), table.doubleColumn("forward vs PyTorch default").asList());
        assertEquals("500-600", table.stringColumn("range").get(1));
        assertEquals(245.0, table.doubleColumn("sampler ms / NFE").get(0));
        assertTrue(table.doubleColumn("sampler ms / NFE").isMissing(3), "PyTorch has no sampler here");
    }
}
