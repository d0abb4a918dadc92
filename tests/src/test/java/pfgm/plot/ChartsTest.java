package pfgm.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;

class ChartsTest {
    @TempDir
    Path dir;

    @Test
    void trajectoriesBecomeOneLinePerParticle() throws Exception {
        List<double[][]> path = List.of(new double[][] {{0, 0}, {1, 1}}, new double[][] {{0, 1}, {2, 2}},
                new double[][] {{0, 2}, {3, 3}});
        XYChart chart = Charts.trajectories(Charts.chart("t", "x", "z"), "flow", path);
        assertEquals(2, chart.getSeriesMap().size());
        assertArrayEquals(new double[] {1, 2, 3}, chart.getSeriesMap().get("flow 1").getXData());
        assertArrayEquals(new double[] {0, 1, 2}, chart.getSeriesMap().get("flow").getYData());
        // One legend entry, under the name given.
        assertEquals(List.of("flow"), chart.getSeriesMap().values().stream().filter(s -> s.isShowInLegend()).map(s -> s.getName()).toList());
        Path png = dir.resolve("t.png");
        Charts.savePng(Charts.scatter(chart, "points", new double[][] {{0, 0}, {1, 2}}), png);
        var image = ImageIO.read(png.toFile());
        assertEquals(600, image.getWidth());
        assertEquals(450, image.getHeight());
    }

    /** One line per group, points sorted by x; rows without a number are left out. */
    @Test
    void byGroupDrawsOneSortedLinePerGroup() {
        var table = tech.tablesaw.api.Table.create("grid",
                tech.tablesaw.api.StringColumn.create("method", "vp", "pfgm", "vp", "pfgm", "pfgm"),
                tech.tablesaw.api.DoubleColumn.create("nfe", 20, 20, 10, 10, 50),
                tech.tablesaw.api.DoubleColumn.create("fid", 9, 7, 30, 12, Double.NaN));
        XYChart chart = Charts.byGroup(table, "fid", "nfe", "method");
        assertEquals(List.of("method vp", "method pfgm"), List.copyOf(chart.getSeriesMap().keySet()));
        assertArrayEquals(new double[] {10, 20}, chart.getSeriesMap().get("method pfgm").getXData());
        assertArrayEquals(new double[] {12, 7}, chart.getSeriesMap().get("method pfgm").getYData());
        assertArrayEquals(new double[] {30, 9}, chart.getSeriesMap().get("method vp").getYData());
    }

    /** Bars keep the rows' order of categories and groups; a missing combination is an empty bar. */
    @Test
    void barsFollowTheRowsOrder() {
        var table = tech.tablesaw.api.Table.create("grid",
                tech.tablesaw.api.StringColumn.create("network", "DDPM", "DDPM", "NCSNPP", "DDPMPP", "DDPMPP"),
                tech.tablesaw.api.StringColumn.create("method", "vp", "pfgm", "vp", "pfgm", "vp"),
                tech.tablesaw.api.DoubleColumn.create("fid", 1, 2, 3, 4, 5));
        var chart = Charts.bars(table, "fid", "network", "method");
        assertEquals(List.of("method vp", "method pfgm"), List.copyOf(chart.getSeriesMap().keySet()));
        assertEquals(List.of("DDPM", "NCSNPP", "DDPMPP"), List.copyOf(chart.getSeriesMap().get("method vp").getXData()));
        assertEquals(List.of(1.0, 3.0, 5.0), List.copyOf(chart.getSeriesMap().get("method vp").getYData()));
        assertEquals(List.of(2.0, 0.0, 4.0), List.copyOf(chart.getSeriesMap().get("method pfgm").getYData()));
    }
}
