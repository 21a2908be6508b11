package dev.ravine.lab.chart;

import java.util.List;

/**
 * A 2-D function sampled on a grid ({@code values[row * columns + column]}, row 0 at {@code yMin}, column 0 at
 * {@code xMin}), drawn as a colour map with contour lines, and paths over it that the page animates. With
 * {@code logLevels} the colours and levels follow log10(value - min + 1e-3), which keeps a narrow valley visible.
 * {@code marks} are labelled points (a minimum, a saddle), as x, y pairs.
 */
public record ContourChart(String anchor, String title, String description, double xMin, double xMax, double yMin, double yMax,
                           int columns, int rows, double[] values, boolean logLevels, List<SurfacePath> paths, List<Mark> marks)
        implements Chart {
    /** A labelled point on the surface. */
    public record Mark(String label, double x, double y) {}

    public ContourChart {
        if (values.length != columns * rows) {
            throw new IllegalArgumentException("contour " + anchor + ": " + values.length + " values for a " + columns + " x " + rows + " grid");
        }
        paths = List.copyOf(paths);
        marks = List.copyOf(marks);
    }
}
