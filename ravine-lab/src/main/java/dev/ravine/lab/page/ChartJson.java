package dev.ravine.lab.page;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ravine.lab.chart.Chart;
import dev.ravine.lab.chart.ContourChart;
import dev.ravine.lab.chart.HeatMapChart;
import dev.ravine.lab.chart.LineChart;
import dev.ravine.lab.chart.Series;
import dev.ravine.lab.chart.SurfacePath;
import java.util.List;

/** A lab's charts as the JSON lab.js draws from: {@code kind} "line", "contour" or "heatmap" and each chart's fields. NaN is null. */
final class ChartJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ChartJson() {}

    static ObjectNode of(List<Chart> charts) {
        ObjectNode out = F.objectNode();
        ArrayNode list = out.putArray("charts");
        for (Chart c : charts) {
            switch (c) {
                case LineChart l -> list.add(line(l));
                case ContourChart k -> list.add(contour(k));
                case HeatMapChart h -> list.add(heatMap(h));
            }
        }
        return out;
    }

    private static ObjectNode line(LineChart l) {
        ObjectNode o = F.objectNode().put("kind", "line").put("anchor", l.anchor()).put("xLabel", l.xLabel()).put("yLabel", l.yLabel())
                .put("logY", l.logY());
        ArrayNode series = o.putArray("series");
        for (Series s : l.series()) {
            ObjectNode so = series.addObject().put("label", s.label()).put("style", s.style().name());
            numbers(so.putArray("x"), s.x());
            numbers(so.putArray("y"), s.y());
        }
        return o;
    }

    private static ObjectNode contour(ContourChart k) {
        ObjectNode o = F.objectNode().put("kind", "contour").put("anchor", k.anchor()).put("xMin", k.xMin()).put("xMax", k.xMax())
                .put("yMin", k.yMin()).put("yMax", k.yMax()).put("columns", k.columns()).put("rows", k.rows()).put("logLevels", k.logLevels());
        numbers(o.putArray("values"), k.values());
        ArrayNode paths = o.putArray("paths");
        for (SurfacePath p : k.paths()) {
            ObjectNode po = paths.addObject().put("label", p.label());
            numbers(po.putArray("x"), p.x());
            numbers(po.putArray("y"), p.y());
        }
        ArrayNode marks = o.putArray("marks");
        for (ContourChart.Mark m : k.marks()) marks.addObject().put("label", m.label()).put("x", m.x()).put("y", m.y());
        return o;
    }

    private static ObjectNode heatMap(HeatMapChart h) {
        ObjectNode o = F.objectNode().put("kind", "heatmap").put("anchor", h.anchor()).put("columnTitle", h.columnTitle())
                .put("logScale", h.logScale());
        ArrayNode rows = o.putArray("rows");
        h.rowLabels().forEach(rows::add);
        ArrayNode columns = o.putArray("columns");
        h.columnLabels().forEach(columns::add);
        numbers(o.putArray("values"), h.values());
        return o;
    }

    /** Finite values with six significant digits (enough for any chart, a third of the bytes), others as null. */
    private static void numbers(ArrayNode into, double[] values) {
        for (double v : values) {
            if (Double.isFinite(v)) into.add(Double.parseDouble(String.format(java.util.Locale.ROOT, "%.6g", v)));
            else into.addNull();
        }
    }
}
