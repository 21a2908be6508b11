package dev.ravine.lab;

import dev.ravine.lab.chart.Chart;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a lab run measured: its figures (in the order the page lists them), the verdict they decide, the charts, and
 * {@code reading}: what the figures mean, in words, for the page. Every key a verdict names must be a figure.
 */
public record LabResult(List<Figure> figures, Verdict verdict, List<Chart> charts, String reading) {
    public LabResult {
        figures = List.copyOf(figures);
        charts = List.copyOf(charts);
        Map<String, Figure> byKey = new LinkedHashMap<>();
        for (Figure f : figures) {
            if (byKey.put(f.key(), f) != null) throw new IllegalArgumentException("two figures have the key " + f.key());
        }
        for (String key : verdict.decidingFigures()) {
            if (!byKey.containsKey(key)) throw new IllegalArgumentException("the verdict names figure " + key + ", which the lab did not measure");
        }
    }

    /** The figure with this key; IllegalArgumentException naming the keys there are when there is none. */
    public Figure figure(String key) {
        for (Figure f : figures) if (f.key().equals(key)) return f;
        throw new IllegalArgumentException("no figure " + key + "; the lab measured " + figures.stream().map(Figure::key).toList());
    }
}
