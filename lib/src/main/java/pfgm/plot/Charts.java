package pfgm.plot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The few XChart figures the notebooks draw again and again: point clouds, trajectories and
 * curves. Each returns the chart, so a notebook can restyle it with XChart's own API, and
 * {@link #savePng} writes it next to the executed notebook.
 */
public final class Charts {
    private static final java.awt.Color[] TRAJECTORY_COLOURS = {
        new java.awt.Color(70, 110, 170, 160), new java.awt.Color(200, 110, 50, 160), new java.awt.Color(60, 150, 90, 160)};

    private Charts() {}

    /** An empty chart with the kit's defaults (600 x 450, legend inside, no markers on lines). */
    public static XYChart chart(String title, String xLabel, String yLabel) {
        XYChart chart = new XYChartBuilder().width(600).height(450).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setMarkerSize(4);
        return chart;
    }

    /** Adds rows (n, 2) as a scatter series. */
    public static XYChart scatter(XYChart chart, String name, double[][] points) {
        XYSeries series = chart.addSeries(name, column(points, 0), column(points, 1));
        series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        return chart;
    }

    /** Adds a curve y(x). */
    public static XYChart line(XYChart chart, String name, double[] x, double[] y) {
        chart.addSeries(name, x, y).setMarker(SeriesMarkers.NONE);
        return chart;
    }

    /**
     * A metric against one column of a results table, one line (with markers) per value of another
     * column, points sorted by x: e.g. FID against NFE, one line per method. Rows whose x or y is
     * not a number are left out.
     */
    public static XYChart byGroup(tech.tablesaw.api.Table table, String y, String x, String group) {
        return byGroup(table, y, x, group, null);
    }

    /**
     * {@link #byGroup(tech.tablesaw.api.Table, String, String, String)} with error bars: column
     * {@code error} holds each point's half-width (as {@code Spread} writes a 95% interval); a
     * point without one (a single seed) gets none.
     */
    public static XYChart byGroup(tech.tablesaw.api.Table table, String y, String x, String group, String error) {
        XYChart chart = chart(table.name(), x, y);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS); // lines fill the plot; keep them clear
        java.util.Map<String, java.util.TreeMap<Double, double[]>> lines = new java.util.LinkedHashMap<>();
        for (int i = 0; i < table.rowCount(); i++) {
            double xv = number(table.column(x).getString(i));
            double yv = number(table.column(y).getString(i));
            double ev = error == null ? 0 : number(table.column(error).getString(i));
            if (Double.isFinite(xv) && Double.isFinite(yv)) {
                lines.computeIfAbsent(table.column(group).getString(i), k -> new java.util.TreeMap<>())
                        .put(xv, new double[] {yv, Double.isFinite(ev) ? ev : 0});
            }
        }
        lines.forEach((name, points) -> {
            double[] xs = points.keySet().stream().mapToDouble(Double::doubleValue).toArray();
            double[] ys = points.values().stream().mapToDouble(p -> p[0]).toArray();
            if (error == null) {
                chart.addSeries(group + " " + name, xs, ys);
            } else {
                chart.addSeries(group + " " + name, xs, ys, points.values().stream().mapToDouble(p -> p[1]).toArray());
            }
        });
        return chart;
    }

    /**
     * A metric as grouped bars: one group of bars per value of {@code category}, one bar colour per
     * value of {@code group} (e.g. FID by network, one colour per method). Missing combinations are
     * drawn as empty bars.
     */
    public static org.knowm.xchart.CategoryChart bars(tech.tablesaw.api.Table table, String y, String category, String group) {
        return bars(table, y, category, group, null);
    }

    /** {@link #bars(tech.tablesaw.api.Table, String, String, String)} with error bars from column {@code error} (half-widths). */
    public static org.knowm.xchart.CategoryChart bars(tech.tablesaw.api.Table table, String y, String category, String group,
            String error) {
        var chart = new org.knowm.xchart.CategoryChartBuilder().width(600).height(450).title(table.name()).xAxisTitle(category)
                .yAxisTitle(y).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        List<String> categories = inOrderOfAppearance(table.column(category));
        List<String> groups = inOrderOfAppearance(table.column(group));
        for (String g : groups) {
            List<Double> values = new java.util.ArrayList<>();
            List<Double> errors = new java.util.ArrayList<>();
            for (String c : categories) {
                double value = Double.NaN;
                double half = Double.NaN;
                for (int i = 0; i < table.rowCount(); i++) {
                    if (table.column(category).getString(i).equals(c) && table.column(group).getString(i).equals(g)) {
                        value = number(table.column(y).getString(i));
                        half = error == null ? 0 : number(table.column(error).getString(i));
                    }
                }
                values.add(Double.isFinite(value) ? value : 0);
                errors.add(Double.isFinite(half) ? half : 0);
            }
            if (error == null) {
                chart.addSeries(group + " " + g, categories, values);
            } else {
                chart.addSeries(group + " " + g, categories, values, errors);
            }
        }
        return chart;
    }

    public static void savePng(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path path) throws IOException {
        if (path.toAbsolutePath().getParent() != null) {
            Files.createDirectories(path.toAbsolutePath().getParent());
        }
        BitmapEncoder.saveBitmap(chart, path.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static double number(String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /**
     * Adds trajectories: {@code paths.get(step)} holds every particle's position (n, 2) at that
     * step; one thin line per particle, all in one colour, with one legend entry.
     */
    public static XYChart trajectories(XYChart chart, String name, List<double[][]> paths) {
        java.awt.Color colour = TRAJECTORY_COLOURS[chart.getSeriesMap().size() % TRAJECTORY_COLOURS.length];
        int particles = paths.get(0).length;
        for (int p = 0; p < particles; p++) {
            double[] x = new double[paths.size()];
            double[] y = new double[paths.size()];
            for (int s = 0; s < paths.size(); s++) {
                x[s] = paths.get(s)[p][0];
                y[s] = paths.get(s)[p][1];
            }
            // Series names must be unique; the legend shows the first under the plain name.
            XYSeries series = chart.addSeries(p == 0 ? name : name + " " + p, x, y);
            series.setMarker(SeriesMarkers.NONE);
            series.setShowInLegend(p == 0);
            series.setLineWidth(0.8f);
            series.setLineColor(colour);
            series.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.SOLID);
        }
        return chart;
    }

    /** The distinct values of a column in the order the rows first show them (Tablesaw's unique() is a set). */
    private static List<String> inOrderOfAppearance(tech.tablesaw.columns.Column<?> column) {
        var seen = new java.util.LinkedHashSet<String>();
        for (int i = 0; i < column.size(); i++) {
            seen.add(column.getString(i));
        }
        return List.copyOf(seen);
    }

    private static double[] column(double[][] rows, int k) {
        double[] out = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = rows[i][k];
        }
        return out;
    }
}
