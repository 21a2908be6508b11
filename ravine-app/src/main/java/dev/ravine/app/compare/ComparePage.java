package dev.ravine.app.compare;

import static dev.ravine.app.report.HtmlText.escape;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ravine.app.report.HtmlText;
import dev.ravine.app.report.ReportAssets;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * The comparison as one self-contained HTML page: the differing config keys (cells that differ from the first run
 * highlighted), the outcome table, the findings of each run side by side (static, escaped HTML), and the curves of
 * every run overlaid (training loss by step, validation loss and accuracy by epoch), drawn by the report's chart code
 * (charts.js, uPlot) from the embedded data. The page writes a self-check into #compare-status (series and points per
 * chart, script errors) that the browser test reads.
 */
public final class ComparePage {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ComparePage() {}

    public static String render(RunComparison c) {
        StringBuilder h = new StringBuilder(256 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Ravine: ")
                .append(c.runs().size()).append(" runs compared</title>\n");
        h.append("<script>window.__reportErrors = []; window.addEventListener('error', function (e) { window.__reportErrors.push(e.message); });</script>\n");
        h.append("<style>\n").append(ReportAssets.uplotStyle()).append("\n</style>\n");
        h.append("<style>\n").append(ReportAssets.reportStyle()).append("\n").append(STYLE).append("</style>\n</head>\n<body>\n");
        h.append("<header><h1>").append(c.runs().size()).append(" runs compared</h1></header>\n<main>\n");
        configSection(h, c);
        outcomeSection(h, c);
        findingsSection(h, c);
        for (String[] chart : CHARTS) {
            h.append("<section id=\"").append(chart[0]).append("\"><h2>").append(escape(chart[1])).append("</h2>\n<div class=\"chart\" id=\"chart-")
                    .append(chart[0]).append("\"></div></section>\n");
        }
        h.append("<pre id=\"compare-status\">charts not drawn yet (scripts disabled?)</pre>\n</main>\n");
        h.append("<script type=\"application/json\" id=\"compare-data\">").append(HtmlText.scriptJson(json(curves(c)))).append("</script>\n");
        h.append("<script>\n").append(ReportAssets.requireInlinable("uPlot", ReportAssets.uplotScript())).append("\n</script>\n");
        h.append("<script>\n").append(ReportAssets.requireInlinable("charts.js", ReportAssets.chartScript())).append("\n</script>\n");
        h.append("<script>\n").append(ReportAssets.requireInlinable("compare.js", script())).append("\n</script>\n");
        h.append("</body>\n</html>\n");
        return h.toString();
    }

    private static final List<String[]> CHARTS = List.of(new String[] {"loss", "Training loss by step"},
            new String[] {"val_loss", "Validation loss by epoch"}, new String[] {"val_accuracy", "Validation accuracy by epoch"});

    private static final String STYLE = """
            table.config-diff td, table.outcome td, table.outcome th { padding: 0.1em 0.8em 0.1em 0; }
            td.diff { background: #fff3b0; font-weight: bold; }
            .side-by-side { display: grid; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); gap: 1em; }
            .side-by-side > div { border: 1px solid #ddd; padding: 0.5em; }
            """;

    private static void configSection(StringBuilder h, RunComparison c) {
        h.append("<section id=\"config\"><h2>Config differences</h2>\n");
        if (c.differingKeys().isEmpty()) {
            h.append("<p>The configs are the same.</p></section>\n");
            return;
        }
        h.append("<table class=\"config-diff\"><tr><th>key</th>");
        c.runs().forEach(r -> h.append("<th>").append(escape(r.label())).append("</th>"));
        h.append("</tr>\n");
        for (String key : c.differingKeys()) {
            String first = c.runs().getFirst().config().get(key);
            h.append("<tr><td><code>").append(escape(key)).append("</code></td>");
            for (ComparedRun r : c.runs()) {
                String v = r.config().get(key);
                h.append(Objects.equals(v, first) ? "<td>" : "<td class=\"diff\">").append(escape(v == null ? "(absent)" : v)).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table></section>\n");
    }

    private static void outcomeSection(StringBuilder h, RunComparison c) {
        h.append("<section id=\"outcome\"><h2>Outcome</h2>\n<table class=\"outcome\"><tr><th>run</th><th>status</th>");
        RunComparison.METRICS.forEach(m -> h.append("<th>").append(escape(m[1])).append("</th>"));
        h.append("</tr>\n");
        for (ComparedRun r : c.runs()) {
            h.append("<tr><td>").append(escape(r.label())).append("</td><td>").append(escape(r.status())).append("</td>");
            for (String[] m : RunComparison.METRICS) h.append("<td>").append(escape(CompareTable.metric(m[0], r.metric(m[0])))).append("</td>");
            h.append("</tr>\n");
        }
        h.append("</table></section>\n");
    }

    private static void findingsSection(StringBuilder h, RunComparison c) {
        h.append("<section id=\"findings\"><h2>Findings</h2>\n<div class=\"side-by-side\">\n");
        for (ComparedRun r : c.runs()) {
            h.append("<div class=\"run-findings\"><h3>").append(escape(r.label())).append("</h3>\n");
            JsonNode findings = r.data().path("findings");
            if (findings.isEmpty()) h.append("<p class=\"good\">No findings.</p>\n");
            for (JsonNode f : findings) {
                h.append("<p><span class=\"badge badge-").append(escape(f.path("severity").asText().replaceAll("[^a-z]", ""))).append("\">")
                        .append(escape(f.path("severity").asText())).append("</span> <b>").append(escape(f.path("title").asText()))
                        .append("</b> <code>").append(escape(f.path("id").asText())).append("</code>, steps ").append(f.path("first_step").asLong())
                        .append("–").append(f.path("last_step").asLong()).append("</p>\n");
            }
            h.append("</div>\n");
        }
        h.append("</div></section>\n");
    }

    /** The curves the page overlays: per run its label, the (thinned) step losses and the epoch metrics. */
    static ObjectNode curves(RunComparison c) {
        ObjectNode out = F.objectNode();
        ArrayNode runs = out.putArray("runs");
        for (ComparedRun r : c.runs()) {
            ObjectNode run = runs.addObject();
            run.put("label", r.label());
            run.set("steps", r.data().path("steps"));
            run.set("epochs", r.data().path("epochs"));
        }
        return out;
    }

    private static String json(ObjectNode data) {
        try {
            return JSON.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the comparison data as JSON: " + e.getMessage(), e);
        }
    }

    static String script() {
        try (InputStream in = ComparePage.class.getResourceAsStream("compare.js")) {
            if (in == null) throw new IllegalStateException("compare.js is not on the classpath next to ComparePage");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read compare.js: " + e.getMessage(), e);
        }
    }
}
