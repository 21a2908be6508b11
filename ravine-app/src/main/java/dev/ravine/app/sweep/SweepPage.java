package dev.ravine.app.sweep;

import static dev.ravine.app.report.HtmlText.escape;

import dev.ravine.app.TextFormat;
import dev.ravine.app.report.ReportAssets;

/** A finished sweep as one self-contained HTML page: the same tables as {@link SweepTable}, trials linking to their reports. */
public final class SweepPage {
    private SweepPage() {}

    public static String render(SweepResult s) {
        StringBuilder h = new StringBuilder(32 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Ravine sweep: ")
                .append(escape(s.folder().getFileName().toString())).append("</title>\n<style>\n").append(ReportAssets.reportStyle())
                .append("\ntd, th { padding: 0.15em 0.8em 0.15em 0; text-align: left; }\ntr.stopped { background: #fde2e2; }\n</style>\n</head>\n<body>\n");
        h.append("<header><h1>Sweep ").append(escape(s.folder().getFileName().toString())).append("</h1>\n<p class=\"subtitle\">")
                .append(escape(SweepTable.header(s))).append("</p></header>\n<main>\n");
        h.append("<section id=\"combinations\"><h2>Per combination</h2>\n<p class=\"note\">Mean ± 95% confidence interval over seeds "
                + "(Student t); trials stopped early are counted, not averaged.</p>\n<table><tr><th>combination</th><th>finished</th>"
                + "<th>val accuracy</th><th>val loss</th><th>test accuracy</th></tr>\n");
        for (SweepResult.Combination c : s.combinations()) {
            long finished = c.trials().stream().filter(o -> o.stoppedBy() == null).count();
            h.append("<tr><td><code>").append(escape(Grid.describe(c.values()))).append("</code></td><td>").append(finished).append('/')
                    .append(c.trials().size()).append("</td><td>").append(escape(SweepTable.percent(c.valAccuracy()))).append("</td><td>")
                    .append(escape(SweepTable.loss(c.valLoss()))).append("</td><td>").append(escape(SweepTable.percent(c.testAccuracy())))
                    .append("</td></tr>\n");
        }
        h.append("</table></section>\n<section id=\"trials\"><h2>Trials</h2>\n<table><tr><th>trial</th><th>seed</th><th>status</th>"
                + "<th>val acc</th><th>val loss</th><th>wall</th><th>top finding</th><th>why it stopped early</th></tr>\n");
        for (TrialOutcome o : s.trials()) {
            String name = o.trial().folder().getFileName().toString();
            h.append(o.stoppedBy() != null ? "<tr class=\"stopped\">" : "<tr>").append("<td><a href=\"trials/").append(escape(name))
                    .append("/report.html\">").append(escape(name)).append("</a></td><td>").append(o.trial().seed()).append("</td><td>")
                    .append(escape(o.status())).append("</td><td>").append(escape(TextFormat.percent(o.valAccuracy()))).append("</td><td>")
                    .append(Double.isNaN(o.valLoss()) ? "-" : escape(TextFormat.loss(o.valLoss()))).append("</td><td>")
                    .append(escape(TextFormat.duration(o.wallSeconds()))).append("</td><td>")
                    .append(escape(o.topFinding() == null ? "none" : o.topFinding())).append("</td><td>")
                    .append(escape(o.stoppedBy() == null ? "" : o.reason())).append("</td></tr>\n");
        }
        h.append("</table></section>\n</main>\n</body>\n</html>\n");
        return h.toString();
    }
}
