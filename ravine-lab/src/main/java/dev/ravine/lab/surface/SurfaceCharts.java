package dev.ravine.lab.surface;

import dev.ravine.lab.chart.ContourChart;
import dev.ravine.lab.chart.LineChart;
import dev.ravine.lab.chart.Series;
import java.util.ArrayList;
import java.util.List;

/** The two views of optimizers on a surface: their paths over its contours, and their loss by step. */
public final class SurfaceCharts {
    /** Grid points per side of a contour plot: fine enough for smooth lines, small enough for the page. */
    public static final int GRID = 121;

    private SurfaceCharts() {}

    public static ContourChart contour(String anchor, String title, String description, Surface s, List<Trajectory> paths,
                                       List<ContourChart.Mark> marks) {
        double[] r = s.region();
        return new ContourChart(anchor, title, description, r[0], r[1], r[2], r[3], GRID, GRID, SurfaceDescent.grid(s, GRID, GRID),
                s.logLevels(), paths.stream().map(Trajectory::path).toList(), marks);
    }

    /**
     * Loss by step of every trajectory, on a log axis; {@code offset} is added first so that a surface whose minimum is
     * below zero shows its distance to it. A curve ends once it is within 1e-12 of the minimum (converged, as far as
     * the plot can tell), and a diverging one where it passes 1000 times the largest starting loss, so that neither
     * squeezes the others into a line.
     */
    public static LineChart losses(String anchor, String title, String description, List<Trajectory> paths, double offset) {
        double start = 0;
        for (Trajectory t : paths) start = Math.max(start, t.loss()[0] + offset);
        double ceiling = 1000 * start;
        List<Series> series = new ArrayList<>();
        for (Trajectory t : paths) {
            double[] x = new double[t.points()], y = new double[t.points()];
            for (int i = 0; i < x.length; i++) {
                x[i] = i;
                double v = t.loss()[i] + offset;
                y[i] = v < FLOOR || v > ceiling ? Double.NaN : v;
            }
            series.add(Series.line(t.label() + (t.diverged() ? " (diverged)" : ""), x, y));
        }
        return new LineChart(anchor, title, description + " Curves end at 1e-12 above the minimum"
                + " and at 1000 times the highest starting loss.", "step", offset == 0 ? "loss" : "loss − minimum", true, series);
    }

    /** The lowest loss (above the minimum) a loss chart shows. */
    public static final double FLOOR = 1e-12;
}
