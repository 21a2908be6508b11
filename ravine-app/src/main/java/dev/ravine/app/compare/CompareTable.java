package dev.ravine.app.compare;

import dev.ravine.app.TextFormat;
import java.util.ArrayList;
import java.util.List;

/**
 * The comparison for a terminal: the config keys that differ (only those: the rest is the same in every run), each
 * run's status and final metrics, and each run's root-cause finding.
 */
public final class CompareTable {
    private CompareTable() {}

    public static String render(RunComparison c) {
        StringBuilder b = new StringBuilder();
        List<ComparedRun> runs = c.runs();
        int keys = runs.stream().mapToInt(r -> r.config().size()).max().orElse(0);
        if (c.differingKeys().isEmpty()) {
            b.append("config: the same in every run (").append(keys).append(" keys)\n");
        } else {
            b.append("config differences (").append(c.differingKeys().size()).append(" of ").append(keys).append(" keys; the rest are the same):\n");
            TextTable t = new TextTable();
            List<String> head = new ArrayList<>(List.of("key"));
            runs.forEach(r -> head.add(r.label()));
            t.row(head);
            for (String key : c.differingKeys()) {
                List<String> row = new ArrayList<>(List.of(key));
                runs.forEach(r -> row.add(r.config().getOrDefault(key, "(absent)")));
                t.row(row);
            }
            b.append(t.render("  "));
        }
        b.append("outcome:\n");
        TextTable t = new TextTable();
        List<String> head = new ArrayList<>(List.of("run", "status"));
        RunComparison.METRICS.forEach(m -> head.add(m[1]));
        t.row(head);
        for (ComparedRun r : runs) {
            List<String> row = new ArrayList<>(List.of(r.label(), r.status()));
            for (String[] m : RunComparison.METRICS) row.add(metric(m[0], r.metric(m[0])));
            t.row(row);
        }
        b.append(t.render("  "));
        b.append("top finding:\n");
        TextTable f = new TextTable();
        for (ComparedRun r : runs) f.row(List.of(r.label(), r.topFinding() == null ? "none" : r.topFinding()));
        b.append(f.render("  "));
        return b.toString();
    }

    static String metric(String key, double v) {
        if (Double.isNaN(v)) return "-";
        if (key.equals("steps")) return TextFormat.count(Math.round(v));
        return key.endsWith("accuracy") ? TextFormat.percent(v) : TextFormat.loss(v);
    }
}
