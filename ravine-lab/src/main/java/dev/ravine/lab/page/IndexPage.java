package dev.ravine.lab.page;

import static dev.ravine.app.report.HtmlText.escape;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ravine.app.TextFormat;
import dev.ravine.lab.Lab;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The labs' index page: every registered lab with its note, its claim, its verdict and deciding figures (from its
 * summary file, when it has run into this folder) and a link to its page. Static HTML, no script.
 */
public final class IndexPage {
    private IndexPage() {}

    public static String render(List<Lab> labs, Map<String, JsonNode> summaries, String ravineVersion, Instant generatedAt) {
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Ravine labs</title>\n<style>\n")
                .append(dev.ravine.app.report.ReportAssets.reportStyle()).append("\ntable.labs td { vertical-align: top; }\n</style>\n</head>\n<body>\n");
        h.append("<header>\n<h1>Ravine labs</h1>\n<p class=\"subtitle\">Each lab reproduces one claim of the study notes, measures it and says "
                + "whether it held, by a rule fixed before it ran. <code>ravine lab run NAME</code> runs one, <code>ravine lab all</code> every one.</p>\n</header>\n<main>\n");
        h.append("<section id=\"labs\">\n<table class=\"data labs\"><tr><th>#</th><th>lab</th><th>note</th><th>verdict</th><th>deciding figures</th><th>run</th></tr>\n");
        for (Lab lab : labs) {
            JsonNode s = summaries.get(lab.name());
            h.append("<tr id=\"lab-").append(escape(lab.name())).append("\"><td>").append(lab.number()).append("</td><td>");
            if (s != null) h.append("<a href=\"").append(escape(lab.name())).append(".html\">").append(escape(lab.title())).append("</a>");
            else h.append(escape(lab.title()));
            h.append("<br><code>").append(escape(lab.name())).append("</code></td><td><code>").append(escape(lab.note())).append("</code></td>");
            if (s == null) {
                h.append("<td>not run here yet</td><td></td><td></td></tr>\n");
                continue;
            }
            boolean held = "HELD".equals(s.path("verdict").asText());
            h.append("<td>").append(LabPage.verdictBadge(held)).append("<br>").append(escape(s.path("because").asText())).append("</td><td>");
            for (JsonNode key : s.path("deciding")) {
                for (JsonNode f : s.path("figures")) {
                    if (f.path("key").asText().equals(key.asText())) {
                        h.append(escape(f.path("label").asText())).append(": <b>").append(escape(f.path("formatted").asText())).append("</b><br>");
                    }
                }
            }
            h.append("</td><td>").append(escape(s.path("size").asText())).append(", ").append(s.path("seeds").asInt()).append(" seeds, ")
                    .append(escape(TextFormat.duration(s.path("seconds").asDouble()))).append("</td></tr>\n");
        }
        h.append("</table>\n</section>\n</main>\n<footer><p>Written by ravine ").append(escape(ravineVersion)).append(" at ")
                .append(escape(generatedAt.toString())).append(".</p></footer>\n</body>\n</html>\n");
        return h.toString();
    }
}
