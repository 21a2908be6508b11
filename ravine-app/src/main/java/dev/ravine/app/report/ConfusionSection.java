package dev.ravine.app.report;

import static dev.ravine.app.report.HtmlText.escape;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ravine.app.TextFormat;
import dev.ravine.train.ConfusionMatrix;

/**
 * The report's per-class section: precision, recall and F1 of each class and the confusion matrix as a table whose
 * cells are shaded by their share of the true class's samples (the diagonal green, the errors red), so the classes
 * a model mixes up stand out. Data: {@code {data, checkpoint, counts[true][predicted]}}, or null for a run without
 * classes or a held-out set.
 */
final class ConfusionSection {
    static final String ANCHOR = "classes";

    private ConfusionSection() {}

    static void render(StringBuilder h, JsonNode confusion) {
        h.append("<section id=\"").append(ANCHOR).append("\">\n<h2>Per-class metrics and confusion matrix</h2>\n");
        if (confusion == null || confusion.isNull()) {
            h.append("<p>No confusion matrix: the run is not a classification, has no test or validation set, or did not "
                    + "complete.</p>\n</section>\n");
            return;
        }
        ConfusionMatrix m = matrix(confusion.get("counts"));
        h.append("<p class=\"note\">On the ").append(escape(confusion.path("data").asText())).append(" set (")
                .append(m.total()).append(" samples) with ").append(escape(confusion.path("checkpoint").asText()))
                .append("; <code>ravine eval RUN_DIR</code> prints the same. Rows: true class; columns: predicted class; a cell's "
                        + "shade is its share of the row.</p>\n<div class=\"columns\">\n");
        metrics(h, m);
        counts(h, m);
        h.append("</div>\n</section>\n");
    }

    private static ConfusionMatrix matrix(JsonNode counts) {
        long[][] c = new long[counts.size()][];
        for (int t = 0; t < c.length; t++) {
            c[t] = new long[counts.get(t).size()];
            for (int p = 0; p < c[t].length; p++) c[t][p] = counts.get(t).get(p).asLong();
        }
        return new ConfusionMatrix(c);
    }

    private static void metrics(StringBuilder h, ConfusionMatrix m) {
        h.append("<table class=\"data\" id=\"class-metrics\"><caption>Per class</caption><thead><tr><th>class</th>"
                + "<th>precision</th><th>recall</th><th>F1</th><th>support</th></tr></thead><tbody>\n");
        for (int c = 0; c < m.classes(); c++) {
            h.append("<tr><td>").append(c).append("</td><td>").append(TextFormat.ratio(m.precision(c))).append("</td><td>")
                    .append(TextFormat.ratio(m.recall(c))).append("</td><td>").append(TextFormat.ratio(m.f1(c))).append("</td><td>")
                    .append(m.support(c)).append("</td></tr>\n");
        }
        h.append("<tr><th>all</th><td colspan=\"2\">accuracy ").append(TextFormat.ratio(m.accuracy())).append("</td><td>macro ")
                .append(TextFormat.ratio(m.macroF1())).append("</td><td>").append(m.total()).append("</td></tr>\n</tbody></table>\n");
    }

    private static void counts(StringBuilder h, ConfusionMatrix m) {
        h.append("<table class=\"confusion\" id=\"confusion-matrix\"><caption>Confusion matrix</caption><thead><tr>"
                + "<th>true \\ predicted</th>");
        for (int p = 0; p < m.classes(); p++) h.append("<th>").append(p).append("</th>");
        h.append("</tr></thead><tbody>\n");
        for (int t = 0; t < m.classes(); t++) {
            h.append("<tr><th>").append(t).append("</th>");
            long support = m.support(t);
            for (int p = 0; p < m.classes(); p++) {
                long n = m.counts()[t][p];
                double share = support == 0 ? 0 : n / (double) support;
                String colour = t == p ? "34,139,34" : "200,40,40";
                h.append("<td style=\"background: rgba(").append(colour).append(',')
                        .append(TextFormat.fixed(n == 0 ? 0 : 0.08 + 0.8 * share, 3)).append(")\" title=\"true ")
                        .append(t).append(", predicted ").append(p).append(": ").append(n).append("\">").append(n).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</tbody></table>\n");
    }

}
