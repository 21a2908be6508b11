package dev.ravine.lab.chart;

import java.util.List;

/**
 * A table of numbers drawn as coloured cells: one row per {@code rowLabels} entry, one column per {@code columnLabels}
 * entry, {@code values[row * columns + column]} (NaN: an empty cell). With {@code logScale} the colour follows
 * log10(value), for values spanning decades (gradient norms); each cell also prints its value.
 */
public record HeatMapChart(String anchor, String title, String description, String columnTitle, List<String> rowLabels,
                           List<String> columnLabels, double[] values, boolean logScale) implements Chart {
    public HeatMapChart {
        rowLabels = List.copyOf(rowLabels);
        columnLabels = List.copyOf(columnLabels);
        if (rowLabels.isEmpty() || columnLabels.isEmpty()) throw new IllegalArgumentException("heat map " + anchor + " has no rows or no columns");
        if (values.length != rowLabels.size() * columnLabels.size()) {
            throw new IllegalArgumentException("heat map " + anchor + ": " + values.length + " values for " + rowLabels.size() + " rows x "
                    + columnLabels.size() + " columns");
        }
    }
}
