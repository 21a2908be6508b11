package dev.ravine.lab.chart;

/**
 * One chart of a lab page: an anchor (the page draws it into {@code div#chart-ANCHOR}), a title and a description of
 * what it shows. Line charts are drawn with uPlot by the report's chart code; contour charts and heat maps on a canvas.
 */
public sealed interface Chart permits LineChart, ContourChart, HeatMapChart {
    String anchor();

    String title();

    String description();
}
