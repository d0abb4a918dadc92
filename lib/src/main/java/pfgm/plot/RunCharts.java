package pfgm.plot;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import pfgm.ode.Solution;
import pfgm.run.Run;
import pfgm.util.Matrices;
import tech.tablesaw.api.Table;

/** Pictures of a run: its samples (an image grid, or a scatter plot of 2-D data) and its loss curve. */
public final class RunCharts {
    private RunCharts() {}

    /** Grids narrower than this many pixels are enlarged (by a whole factor) to about it. */
    static final int READABLE_WIDTH = 512;

    /**
     * A picture of samples (n, N) of the run's data, with what made them in the caption: the run,
     * its step, the sampler and the NFE. Images are laid out in a grid enlarged without smoothing
     * to a readable size; 2-D points are a scatter plot.
     */
    public static BufferedImage samples(Run run, Solution samples, String sampler) {
        String caption = run.preset().name() + ", step " + run.trainer().step() + ", " + sampler + ", NFE " + samples.nfe();
        if (run.preset().isToy()) {
            XYChart chart = Charts.scatter(Charts.chart(caption, "x1", "x2"), "samples", Matrices.rows(samples.y()));
            return BitmapEncoder.getBufferedImage(chart);
        }
        long n = samples.y().getShape().get(0);
        NDArray images = samples.y().reshape(new Shape(n).addAll(run.preset().network().sampleShape())).clip(-1, 1);
        BufferedImage grid = ImageGrid.render(images, (int) Math.ceil(Math.sqrt(n)), 2);
        return ImageGrid.captioned(grid, Math.max(1, READABLE_WIDTH / grid.getWidth()), caption);
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
