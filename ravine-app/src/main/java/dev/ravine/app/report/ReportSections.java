package dev.ravine.app.report;

import static dev.ravine.app.report.HtmlText.escape;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ravine.app.TextFormat;
import java.util.ArrayList;
import java.util.List;

/** The report's static sections (summary, findings, repairs) as escaped HTML, rendered from the report data. */
public final class ReportSections {
    private ReportSections() {}

    public static void summary(StringBuilder h, JsonNode data) {
        JsonNode run = data.get("run");
        JsonNode m = data.get("metrics");
        h.append("<section id=\"summary\">\n<h2>Summary and configuration</h2>\n<div class=\"columns\">\n");
        List<String[]> facts = new ArrayList<>();
        facts.add(row("status", run.path("status").asText()));
        if (run.hasNonNull("reason")) facts.add(row("reason", run.get("reason").asText()));
        if (run.has("started_at")) facts.add(row("started", run.get("started_at").asText()));
        if (run.has("finished_at")) facts.add(row("finished", run.get("finished_at").asText()));
        if (run.has("wall_seconds")) facts.add(row("wall time", TextFormat.duration(run.get("wall_seconds").asDouble())));
        if (m.has("steps")) facts.add(row("steps · epochs", TextFormat.count(m.get("steps").asLong()) + " · " + m.path("epochs").asInt()));
        if (run.has("parameters")) facts.add(row("parameters", count(run.get("parameters").asText())));
        if (run.has("train_samples")) {
            facts.add(row("samples (train · validation · test)", count(run.get("train_samples").asText()) + " · "
                    + count(run.path("validation_samples").asText("0")) + " · " + count(run.path("test_samples").asText("0"))));
        }
        if (m.has("samples_per_second")) facts.add(row("throughput", TextFormat.rate(m.get("samples_per_second").asDouble()) + " samples/s"));
        if (run.has("config_file")) facts.add(row("config file", run.get("config_file").asText()));
        table(h, "Run", facts);

        List<String[]> metrics = new ArrayList<>();
        metrics.add(row("final training loss · accuracy", loss(m, "train_loss") + " · " + percent(m, "train_accuracy")));
        metrics.add(row("final validation loss · accuracy", loss(m, "val_loss") + " · " + percent(m, "val_accuracy")));
        metrics.add(row("test loss · accuracy", loss(m, "test_loss") + " · " + percent(m, "test_accuracy")));
        if (m.has("best_epoch")) {
            metrics.add(row("best epoch", m.get("best_epoch").asInt() + " (" + m.path("best_epoch_from").asText() + ")"
                    + (m.hasNonNull("best_val_loss") ? ", lowest validation loss " + loss(m, "best_val_loss") : "")));
        }
        table(h, "Metrics", metrics);

        List<String[]> config = new ArrayList<>();
        data.get("config").get("facts").properties().forEach(e -> config.add(row(e.getKey(), e.getValue().asText())));
        table(h, "Configuration", config);
        h.append("</div>\n<details><summary>config.yaml (resolved)</summary>\n<pre class=\"config\">")
                .append(escape(data.get("config").path("text").asText())).append("</pre></details>\n</section>\n");
    }

    public static void findings(StringBuilder h, JsonNode findings) {
        h.append("<section id=\"findings\">\n<h2>Findings</h2>\n");
        if (findings.isEmpty()) {
            h.append("<p class=\"good\">No findings: nothing in this run's readings matched a detector's rule.</p>\n</section>\n");
            return;
        }
        for (JsonNode f : findings) {
            String severity = f.path("severity").asText();
            h.append("<article class=\"finding\">\n<h3><span class=\"badge badge-").append(escape(ReportPage.cssWord(severity))).append("\">")
                    .append(escape(severity)).append("</span> ").append(escape(f.path("title").asText()))
                    .append(" <code>").append(escape(f.path("id").asText())).append("</code></h3>\n");
            h.append("<p class=\"where\">steps ").append(f.path("first_step").asLong()).append("–").append(f.path("last_step").asLong());
            List<String> layers = new ArrayList<>();
            f.path("layers").forEach(l -> layers.add(l.asText()));
            if (!layers.isEmpty()) h.append(" · layer ").append(escape(String.join(", ", layers)));
            h.append("</p>\n<h4>Evidence</h4>\n<ul>\n");
            for (JsonNode e : f.path("evidence")) h.append("<li>").append(escape(e.asText())).append("</li>\n");
            h.append("</ul>\n<h4>Cause</h4>\n<p>").append(escape(f.path("cause").asText())).append("</p>\n");
            h.append("<h4>Remedies, best first</h4>\n<ol>\n");
            for (JsonNode r : f.path("remedies")) {
                h.append("<li><code>").append(escape(r.path("change").asText())).append("</code>");
                if (!r.path("why").asText().isEmpty()) h.append(" — ").append(escape(r.path("why").asText()));
                h.append("</li>\n");
            }
            h.append("</ol>\n</article>\n");
        }
        h.append("</section>\n");
    }

    public static void repairs(StringBuilder h, JsonNode repairs) {
        h.append("<section id=\"repairs\">\n<h2>Repairs</h2>\n");
        if (repairs.isEmpty()) {
            h.append("<p>No repairs were made (the doctor repairs only with <code>doctor: {repair: true}</code>, and only a "
                    + "blocking problem).</p>\n</section>\n");
            return;
        }
        h.append("<p class=\"note\">Loss before: the batch loss that triggered the repair. Loss after: the mean loss over the ")
                .append(ReportData.AFTER_REPAIR_STEPS).append(" steps after the step the run went back to.</p>\n");
        h.append("<table class=\"data\"><thead><tr><th>step</th><th>finding</th><th>what was done</th><th>back to step</th>"
                + "<th>lr scale after</th><th>loss before</th><th>loss after</th></tr></thead><tbody>\n");
        for (JsonNode r : repairs) {
            h.append("<tr><td>").append(r.path("step").asLong()).append("</td><td><code>").append(escape(r.path("finding").asText()))
                    .append("</code></td><td>").append(escape(r.path("remedy").asText())).append("</td><td>")
                    .append(r.path("rolled_back_to").asLong()).append("</td><td>").append(escape(num(r.path("lr_scale"))))
                    .append("</td><td>").append(escape(lossCell(r.get("loss_before")))).append("</td><td>")
                    .append(escape(lossCell(r.get("loss_after")))).append("</td></tr>\n");
        }
        h.append("</tbody></table>\n</section>\n");
    }

    private static void table(StringBuilder h, String title, List<String[]> rows) {
        h.append("<table class=\"facts\"><caption>").append(escape(title)).append("</caption><tbody>\n");
        for (String[] r : rows) {
            h.append("<tr><th>").append(escape(r[0])).append("</th><td>").append(escape(r[1])).append("</td></tr>\n");
        }
        h.append("</tbody></table>\n");
    }

    private static String[] row(String label, String value) {
        return new String[] {label, value};
    }

    private static String loss(JsonNode m, String key) {
        return m.hasNonNull(key) ? TextFormat.loss(m.get(key).asDouble()) : "-";
    }

    private static String percent(JsonNode m, String key) {
        return m.hasNonNull(key) ? TextFormat.percent(m.get(key).asDouble()) : "-";
    }

    private static String lossCell(JsonNode v) {
        if (v == null || v.isNull()) return "-";
        return v.isNumber() ? TextFormat.loss(v.asDouble()) : v.asText();
    }

    private static String num(JsonNode v) {
        return v.isNumber() ? TextFormat.significant(v.asDouble(), 4) : "-";
    }

    private static String count(String n) {
        try {
            return TextFormat.count(Long.parseLong(n));
        } catch (NumberFormatException e) {
            return n; // not a number in an older run's meta: shown as written
        }
    }
}
