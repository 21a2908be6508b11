package dev.ravine.app.report;

import static dev.ravine.app.report.HtmlText.escape;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ravine.app.TextFormat;
import java.time.Instant;

/**
 * The report as one HTML document: the header, findings and repairs rendered here as escaped static HTML (readable
 * even with scripts off), the charts drawn in the browser by the inlined script from the embedded data. Every string
 * from the run goes through {@link HtmlText}.
 */
final class ReportPage {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReportPage() {}

    static String render(ObjectNode data, String ravineVersion, Instant generatedAt) {
        JsonNode run = data.get("run");
        StringBuilder h = new StringBuilder(512 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        h.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        h.append("<title>Ravine report: ").append(escape(run.path("name").asText())).append("</title>\n");
        // Errors are recorded from the first moment, so a failure in a later script (uPlot included) is reported.
        h.append("<script>").append(ReportAssets.ERROR_RECORDER).append("</script>\n");
        h.append("<style>\n").append(ReportAssets.uplotStyle()).append("\n</style>\n");
        h.append("<style>\n").append(ReportAssets.reportStyle()).append("\n</style>\n</head>\n<body>\n");
        header(h, data);
        contents(h);
        h.append("<main>\n");
        ReportSections.summary(h, data);
        ReportSections.findings(h, data.get("findings"));
        ReportSections.repairs(h, data.get("repairs"));
        ConfusionSection.render(h, data.get("confusion"));
        ReportCharts.sections(h);
        h.append("</main>\n");
        footer(h, ravineVersion, generatedAt);
        h.append("<script type=\"application/json\" id=\"report-data\">").append(HtmlText.scriptJson(json(data))).append("</script>\n");
        h.append("<script>\n").append(ReportAssets.requireInlinable("uPlot", ReportAssets.uplotScript())).append("\n</script>\n");
        h.append("<script>\n").append(ReportAssets.requireInlinable("charts.js", ReportAssets.chartScript())).append("\n</script>\n");
        h.append("<script>\n").append(ReportAssets.requireInlinable("run-charts.js", ReportAssets.runChartScript())).append("\n</script>\n");
        h.append("<script>\n").append(ReportAssets.requireInlinable("report.js", ReportAssets.reportScript())).append("\n</script>\n");
        h.append("</body>\n</html>\n");
        return h.toString();
    }

    private static void header(StringBuilder h, ObjectNode data) {
        JsonNode run = data.get("run");
        String status = run.path("status").asText("unknown");
        h.append("<header>\n<h1>Ravine run report: ").append(escape(run.path("name").asText())).append("</h1>\n");
        h.append("<p class=\"subtitle\"><span class=\"status status-").append(escape(cssWord(status))).append("\">")
                .append(escape(status)).append("</span> ");
        if (run.hasNonNull("reason")) h.append(escape(run.get("reason").asText())).append(" · ");
        if (run.has("wall_seconds")) h.append("wall time ").append(escape(TextFormat.duration(run.get("wall_seconds").asDouble()))).append(" · ");
        h.append("<code>").append(escape(run.path("folder").asText())).append("</code></p>\n</header>\n");
    }

    private static void contents(StringBuilder h) {
        h.append("<nav class=\"toc\"><h2>Contents</h2><ol>\n");
        h.append("<li><a href=\"#summary\">Summary and configuration</a></li>\n");
        h.append("<li><a href=\"#findings\">Findings</a></li>\n");
        h.append("<li><a href=\"#repairs\">Repairs</a></li>\n");
        h.append("<li><a href=\"#").append(ConfusionSection.ANCHOR).append("\">Per-class metrics and confusion matrix</a></li>\n");
        for (ReportCharts.Chart c : ReportCharts.ALL) {
            h.append("<li><a href=\"#").append(c.anchor()).append("\">").append(escape(c.title())).append("</a></li>\n");
        }
        h.append("<li><a href=\"#about\">About this report</a></li>\n</ol></nav>\n");
    }

    private static void footer(StringBuilder h, String ravineVersion, Instant generatedAt) {
        h.append("<footer id=\"about\">\n<h2>About this report</h2>\n");
        h.append("<p>Written by ravine ").append(escape(ravineVersion)).append(" at ").append(escape(generatedAt.toString()))
                .append(" from the run folder's run.db, summary.json and config.yaml. One self-contained file: it needs no network.</p>\n");
        h.append("<p>Chart self-check (each chart's drawn data points and painted pixels, and any script error):</p>\n");
        h.append("<pre id=\"report-status\">charts not drawn yet (scripts disabled?)</pre>\n");
        h.append("<details><summary>Charts drawn with uPlot ").append(ReportAssets.UPLOT_VERSION)
                .append(" (https://github.com/leeoniya/uPlot), MIT licence</summary>\n<pre>")
                .append(escape(ReportAssets.uplotLicense())).append("</pre></details>\n</footer>\n");
    }

    /** A status as a CSS class suffix: letters only, so a strange status cannot break the attribute. */
    static String cssWord(String s) {
        return s.replaceAll("[^A-Za-z]", "");
    }

    private static String json(ObjectNode data) {
        try {
            return JSON.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the report data as JSON: " + e.getMessage(), e);
        }
    }
}
