package dev.ravine.lab.page;

import static dev.ravine.app.report.HtmlText.escape;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ravine.app.TextFormat;
import dev.ravine.app.report.HtmlText;
import dev.ravine.app.report.ReportAssets;
import dev.ravine.lab.Figure;
import dev.ravine.lab.Lab;
import dev.ravine.lab.LabResult;
import dev.ravine.lab.LabRun;
import dev.ravine.lab.chart.Chart;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * One lab as a self-contained HTML page: the claim (naming the note's file), the method, the decision rule, the
 * verdict with its deciding figures, every figure, the charts (drawn in the browser by the report's chart code,
 * charts.js and uPlot, inlined, plus lab.js for contour plots) and what the figures mean. Static text is escaped
 * HTML, readable with scripts off; the page writes its self-check into {@code #lab-status}.
 */
public final class LabPage {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LabPage() {}

    public static String render(LabRun run, String ravineVersion, Instant generatedAt) {
        Lab lab = run.lab();
        LabResult r = run.result();
        StringBuilder h = new StringBuilder(512 * 1024);
        head(h, "Ravine lab " + lab.number() + ": " + lab.title());
        h.append("<header>\n<p class=\"subtitle\"><a href=\"index.html\">All labs</a></p>\n<h1>Lab ").append(lab.number()).append(": ")
                .append(escape(lab.title())).append("</h1>\n<p class=\"subtitle\">").append(verdictBadge(r.verdict().held()))
                .append(" <code>ravine lab run ").append(escape(lab.name())).append(run.settings().quickRun() ? " --quick" : "")
                .append("</code> · ").append(run.settings().seeds().size()).append(" seeds · ran in ")
                .append(escape(TextFormat.duration(run.seconds()))).append("</p>\n</header>\n<main>\n");
        section(h, "claim", "The claim", "<p>" + escape(lab.claim()) + "</p>\n<p class=\"note\">From the study note <code>" + escape(lab.note())
                + "</code> (not shipped with Ravine; this page states the claim in its own words).</p>");
        section(h, "method", "Method", "<p>" + escape(lab.method()) + "</p>");
        section(h, "verdict", "Verdict", verdict(lab, r));
        section(h, "figures", "Figures", figures(r));
        for (Chart c : r.charts()) {
            h.append("<section id=\"").append(escape(c.anchor())).append("\">\n<h2>").append(escape(c.title())).append("</h2>\n");
            h.append("<p class=\"note\">").append(escape(c.description())).append("</p>\n");
            h.append("<div class=\"chart\" id=\"chart-").append(escape(c.anchor())).append("\"></div>\n</section>\n");
        }
        section(h, "reading", "What the figures mean", "<p>" + escape(r.reading()) + "</p>");
        h.append("</main>\n");
        footer(h, ravineVersion, generatedAt);
        h.append("<script type=\"application/json\" id=\"lab-data\">").append(HtmlText.scriptJson(json(ChartJson.of(r.charts())))).append("</script>\n");
        scripts(h, "lab.js", labScript());
        return h.toString();
    }

    private static String verdict(Lab lab, LabResult r) {
        StringBuilder v = new StringBuilder();
        v.append("<p><b>Decision rule, fixed before the run:</b> ").append(escape(lab.decisionRule())).append("</p>\n");
        v.append("<p class=\"verdict verdict-").append(r.verdict().held() ? "held" : "not").append("\">").append(verdictBadge(r.verdict().held()))
                .append(" ").append(escape(r.verdict().because())).append("</p>\n<table class=\"facts\">");
        for (String key : r.verdict().decidingFigures()) {
            Figure f = r.figure(key);
            v.append("<tr><th>").append(escape(f.label())).append("</th><td>").append(escape(f.formatted())).append("</td></tr>");
        }
        return v.append("</table>").toString();
    }

    private static String figures(LabResult r) {
        StringBuilder t = new StringBuilder("<table class=\"data\" id=\"figure-table\"><tr><th>figure</th><th>value</th><th>key</th></tr>\n");
        for (Figure f : r.figures()) {
            t.append("<tr><td>").append(escape(f.label())).append("</td><td>").append(escape(f.formatted())).append("</td><td><code>")
                    .append(escape(f.key())).append("</code></td></tr>\n");
        }
        return t.append("</table>").toString();
    }

    static String verdictBadge(boolean held) {
        return held ? "<span class=\"status status-completed\">claim held</span>" : "<span class=\"status status-diverged\">claim did not hold</span>";
    }

    static void head(StringBuilder h, String title) {
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        h.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        h.append("<title>").append(escape(title)).append("</title>\n");
        h.append("<script>").append(ReportAssets.ERROR_RECORDER).append("</script>\n");
        h.append("<style>\n").append(ReportAssets.uplotStyle()).append("\n</style>\n");
        h.append("<style>\n").append(ReportAssets.reportStyle()).append("\n").append(STYLE).append("</style>\n</head>\n<body>\n");
    }

    static void section(StringBuilder h, String id, String title, String body) {
        h.append("<section id=\"").append(id).append("\">\n<h2>").append(escape(title)).append("</h2>\n").append(body).append("\n</section>\n");
    }

    private static void footer(StringBuilder h, String ravineVersion, Instant generatedAt) {
        h.append("<footer id=\"about\">\n<h2>About this page</h2>\n<p>Written by ravine ").append(escape(ravineVersion)).append(" at ")
                .append(escape(generatedAt.toString())).append(". One self-contained file: it needs no network.</p>\n");
        h.append("<p>Chart self-check (each chart's drawn points and painted pixels, and any script error):</p>\n");
        h.append("<pre id=\"lab-status\">charts not drawn yet (scripts disabled?)</pre>\n");
        h.append("<details><summary>Charts drawn with uPlot ").append(ReportAssets.UPLOT_VERSION)
                .append(" (https://github.com/leeoniya/uPlot), MIT licence</summary>\n<pre>")
                .append(escape(ReportAssets.uplotLicense())).append("</pre></details>\n</footer>\n");
    }

    private static void scripts(StringBuilder h, String name, String script) {
        h.append("<script>\n").append(ReportAssets.requireInlinable("uPlot", ReportAssets.uplotScript())).append("\n</script>\n");
        h.append("<script>\n").append(ReportAssets.requireInlinable("charts.js", ReportAssets.chartScript())).append("\n</script>\n");
        h.append("<script>\n").append(ReportAssets.requireInlinable(name, script)).append("\n</script>\n</body>\n</html>\n");
    }

    private static final String STYLE = """
            .verdict { font-size: 16px; }
            .contour { position: relative; }
            .contour canvas { position: absolute; left: 0; top: 0; }
            .path-legend { display: flex; flex-wrap: wrap; gap: 4px 14px; margin-top: 6px; font-size: 13px; }
            .path-legend i { display: inline-block; width: 14px; height: 4px; margin-right: 5px; vertical-align: middle; }
            .chart button { margin-bottom: 6px; }
            table.labs td, table.labs th { vertical-align: top; }
            """;

    private static String json(Object data) {
        try {
            return JSON.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the lab's chart data as JSON: " + e.getMessage(), e);
        }
    }

    private static String labScript() {
        try (InputStream in = LabPage.class.getResourceAsStream("lab.js")) {
            if (in == null) throw new IllegalStateException("lab.js is not on the classpath next to LabPage");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read lab.js: " + e.getMessage(), e);
        }
    }
}
