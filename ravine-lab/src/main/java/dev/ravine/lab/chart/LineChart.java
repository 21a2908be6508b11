package dev.ravine.lab.chart;

import java.util.List;

/** Curves over a shared x axis (each series its own x values), drawn with uPlot; {@code logY} plots log10 of y. */
public record LineChart(String anchor, String title, String description, String xLabel, String yLabel, boolean logY, List<Series> series)
        implements Chart {
    public LineChart {
        if (series.isEmpty()) throw new IllegalArgumentException("line chart " + anchor + " has no series");
        series = List.copyOf(series);
    }
}
