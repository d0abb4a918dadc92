package pfgm.plot;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import pfgm.run.Run;
import pfgm.util.Matrices;
import tech.tablesaw.api.Table;

/** Pictures of a run: its samples (an image grid, or a scatter plot of 2-D data) and its loss curve. */
public final class RunCharts {
    private RunCharts() {}

    /** A picture of samples (n, N) of the run's data. */
    public static BufferedImage samples(Run run, NDArray samples) {
        if (run.preset().isToy()) {
            XYChart chart = Charts.scatter(Charts.chart(run.preset().name() + " samples", "x1", "x2"), "samples",
                    Matrices.rows(samples));
            return BitmapEncoder.getBufferedImage(chart);
        }
        long n = samples.getShape().get(0);
        NDArray images = samples.reshape(new Shape(n).addAll(run.preset().network().sampleShape())).clip(-1, 1);
        return ImageGrid.render(images, (int) Math.ceil(Math.sqrt(n)), 2);
    }

    /** The run's training loss so far, on a log axis. */
    public static XYChart loss(Run run) {
        Table table = run.trainer().metrics().table();
        // XChart refuses an empty series: before the first logged step the curve is one point at 1.
        double[] steps = table.rowCount() == 0 ? new double[] {0} : table.intColumn("step").asDoubleArray();
        double[] loss = table.rowCount() == 0 ? new double[] {1} : table.doubleColumn("loss").asDoubleArray();
        XYChart chart = Charts.line(Charts.chart(run.preset().name() + " training loss", "step", "loss"), "loss", steps, loss);
        chart.getStyler().setYAxisLogarithmic(true);
        return chart;
    }
}
