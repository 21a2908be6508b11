package dev.ravine.app.report;

import static dev.ravine.app.report.HtmlText.escape;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ravine.app.TextFormat;
import java.time.Instant;
import java.util.List;

/**
 * The report as one HTML document: the header, findings and repairs rendered here as escaped static HTML (readable
 * even with scripts off), the charts drawn in the browser by the inlined script from the embedded data. Every string
 * from the run goes through {@link HtmlText}.
 */
final class ReportPage {
    /** The chart sections: anchor, title, what it shows. The script draws into div#chart-ANCHOR. */
    private record Chart(String anchor, String title, String description) {}

    private static final List<Chart> CHARTS = List.of(
            new Chart("loss", "Loss", "Training loss of every step (thin line) and validation loss at the end of each epoch (dots). "
                    + "Shaded bands are the doctor's findings over their step range (red blocking, orange warning, blue info); "
                    + "red ticks are steps whose loss was NaN/Inf; dashed lines are repairs (the steps after the one a repair went back to "
                    + "show the repaired run)."),
            new Chart("accuracy", "Accuracy", "Training and validation accuracy at the end of each epoch, in percent."),
            new Chart("gradients", "Gradient norm per layer", "L2 norm of each layer's gradient at every doctor reading, on a "
                    + "log colour scale (dark: small, yellow: large). Vanishing gradients show as dark rows at the input side, "
                    + "exploding ones as a band turning yellow. Grey: no reading, or NaN/Inf."),
            new Chart("updates", "Update / weight ratio per layer", "‖update‖ / ‖weight‖ of each layer per reading, log scale. "
                    + "The dashed line is the usual healthy level, about 1e-3: far below, a layer barely learns; far above, "
                    + "the step is large against the weights."),
            new Chart("sharpness", "Sharpness against its stability threshold", "Largest Hessian eigenvalue of the loss (and, for "
                    + "Adam-family optimizers, of the preconditioned Hessian) against the threshold above which the optimizer "
                    + "cannot be stable: 2/lr for gradient descent, (2+2·momentum)/lr with momentum, and for Adam's preconditioned "
                    + "sharpness (2+2·β1)/((1-β1)·lr), 38/lr at β1 = 0.9. Measured every doctor.curvature_every steps."),
            new Chart("activations", "Dead and saturated units", "Per activation module: the fraction of ReLU units inactive on "
                    + "the whole batch (dead) and of sigmoid/tanh units in their flat tails (saturated), in percent."));

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
        for (Chart c : CHARTS) {
            h.append("<section id=\"").append(c.anchor()).append("\">\n<h2>").append(escape(c.title())).append("</h2>\n");
            h.append("<p class=\"note\">").append(escape(c.description())).append("</p>\n");
            h.append("<div class=\"chart\" id=\"chart-").append(c.anchor()).append("\"></div>\n</section>\n");
        }
        h.append("</main>\n");
        footer(h, ravineVersion, generatedAt);
        h.append("<script type=\"application/json\" id=\"report-data\">").append(HtmlText.scriptJson(json(data))).append("</script>\n");
        h.append("<script>\n").append(ReportAssets.requireInlinable("uPlot", ReportAssets.uplotScript())).append("\n</script>\n");
        h.append("<script>\n").append(ReportAssets.requireInlinable("charts.js", ReportAssets.chartScript())).append("\n</script>\n");
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
        for (Chart c : CHARTS) {
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
