package dev.ravine.app.dashboard;

import static dev.ravine.app.report.HtmlText.escape;

import dev.ravine.app.report.ReportCharts;

/**
 * The dashboard's HTML pages, as shells that their scripts fill from the server-sent events: the runs page
 * (runs.js) and the run page (run.js, which draws with the report's chart code into the report's chart sections).
 * The comparison page is {@link dev.ravine.app.compare.ComparePage}'s, served as it is.
 */
final class DashboardPages {
    private DashboardPages() {}

    static String runs(String folder) {
        StringBuilder h = head("Ravine runs: " + folder);
        h.append("<header><h1>Runs</h1><p class=\"subtitle\"><code>").append(escape(folder))
                .append("</code> · <span id=\"connection\">connecting…</span></p></header>\n<main>\n");
        h.append("<section id=\"runs\"><p class=\"note\">Every run under the folder, updated live. Tick two or more to compare them.</p>\n");
        h.append("<p><button id=\"compare\" disabled>Compare selected</button></p>\n");
        h.append("<table class=\"data runs\"><thead><tr><th></th><th>run</th><th>status</th><th>progress</th><th>loss</th>"
                + "<th>val loss</th><th>val acc</th><th>test acc</th><th>top finding</th><th>updated</th></tr></thead>"
                + "<tbody id=\"run-rows\"></tbody></table>\n<p id=\"no-runs\" class=\"not-measured\" hidden>No runs yet: this folder "
                + "holds no run.db. Start one with ravine train CONFIG --out ").append(escape(folder)).append("/NAME</p>\n</section>\n");
        h.append("</main>\n<script src=\"/assets/charts.js\"></script>\n<script src=\"/assets/runs.js\"></script>\n</body>\n</html>\n");
        return h.toString();
    }

    static String run(String name) {
        StringBuilder h = head("Ravine run: " + name);
        h.append("<header><p class=\"crumbs\"><a href=\"/\">all runs</a></p><h1>Run <span id=\"run-name\">").append(escape(name))
                .append("</span></h1>\n<p class=\"subtitle\"><span id=\"run-status\" class=\"status status-unknown\">connecting</span> "
                        + "<span id=\"run-progress\"></span> · <span id=\"connection\">connecting…</span></p></header>\n<main>\n");
        h.append("<div id=\"findings-slot\"><section id=\"findings\"><h2>Findings</h2><p>waiting for the run…</p>"
                + "</section></div>\n<div id=\"repairs-slot\"></div>\n");
        ReportCharts.sections(h);
        h.append("<div id=\"summary-slot\"></div>\n");
        h.append("<footer id=\"about\"><h2>Live view</h2><p>Drawn by the same chart code as report.html, again on every update "
                + "from run.db (server-sent events).</p>\n<pre id=\"dashboard-status\">charts not drawn yet</pre></footer>\n");
        h.append("</main>\n<script src=\"/assets/uplot.js\"></script>\n<script src=\"/assets/charts.js\"></script>\n");
        h.append("<script src=\"/assets/run-charts.js\"></script>\n");
        h.append("<script src=\"/assets/run.js\"></script>\n</body>\n</html>\n");
        return h.toString();
    }

    /** The document's head and the error recorder the chart code reports into. */
    private static StringBuilder head(String title) {
        StringBuilder h = new StringBuilder(8192);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        h.append("<title>").append(escape(title)).append("</title>\n");
        h.append("<script>window.__reportErrors = []; window.addEventListener('error', function (e) { window.__reportErrors.push("
                + "(e.message || 'error') + ' (' + (e.filename || 'inline') + ':' + (e.lineno || 0) + ')'); });</script>\n");
        h.append("<link rel=\"stylesheet\" href=\"/assets/uplot.css\">\n<link rel=\"stylesheet\" href=\"/assets/report.css\">\n");
        h.append("<link rel=\"stylesheet\" href=\"/assets/dashboard.css\">\n</head>\n<body>\n");
        return h;
    }
}
