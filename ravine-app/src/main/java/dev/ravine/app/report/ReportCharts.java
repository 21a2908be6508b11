package dev.ravine.app.report;

import static dev.ravine.app.report.HtmlText.escape;

import java.util.List;

/**
 * The charts of a run, as sections with a title, what the chart shows and the element charts.js draws it into
 * (div#chart-ANCHOR): report.html and the dashboard's run page both lay them out from here.
 */
public final class ReportCharts {
    /** The chart sections: anchor, title, what it shows. The script draws into div#chart-ANCHOR. */
    public record Chart(String anchor, String title, String description) {}

    public static final List<Chart> ALL = List.of(
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

    private ReportCharts() {}

    /** One section per chart, in order, each with its description and its empty chart element. */
    public static void sections(StringBuilder h) {
        for (Chart c : ALL) {
            h.append("<section id=\"").append(c.anchor()).append("\">\n<h2>").append(escape(c.title())).append("</h2>\n");
            h.append("<p class=\"note\">").append(escape(c.description())).append("</p>\n");
            h.append("<div class=\"chart\" id=\"chart-").append(c.anchor()).append("\"></div>\n</section>\n");
        }
    }
}
