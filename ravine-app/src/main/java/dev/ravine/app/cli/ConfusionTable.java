package dev.ravine.app.cli;

import dev.ravine.app.TextFormat;
import dev.ravine.train.ConfusionMatrix;
import java.io.PrintWriter;
import java.util.Locale;

/** Prints a confusion matrix as eval shows it: per-class precision, recall, F1 and support, then the counts. */
final class ConfusionTable {
    private ConfusionTable() {}

    static void print(PrintWriter out, ConfusionMatrix m) {
        out.println("class  precision  recall      f1  support");
        for (int c = 0; c < m.classes(); c++) {
            out.println(String.format(Locale.ROOT, "%5d  %9s  %6s  %6s  %7d", c, TextFormat.ratio(m.precision(c)), TextFormat.ratio(m.recall(c)),
                    TextFormat.ratio(m.f1(c)), m.support(c)));
        }
        out.println("macro F1 " + TextFormat.ratio(m.macroF1()) + " (mean over classes; - : undefined, a class never predicted or absent)");
        out.println("confusion matrix (rows: true class, columns: predicted class):");
        int width = Math.max(4, Long.toString(maxCount(m)).length() + 1);
        StringBuilder header = new StringBuilder("true\\pred");
        for (int c = 0; c < m.classes(); c++) header.append(pad(Integer.toString(c), width));
        out.println(header);
        for (int t = 0; t < m.classes(); t++) {
            StringBuilder row = new StringBuilder(pad(Integer.toString(t), 9));
            for (int p = 0; p < m.classes(); p++) row.append(pad(Long.toString(m.counts()[t][p]), width));
            out.println(row);
        }
    }

    private static long maxCount(ConfusionMatrix m) {
        long max = 0;
        for (long[] row : m.counts()) for (long v : row) max = Math.max(max, v);
        return max;
    }

    private static String pad(String s, int width) {
        return " ".repeat(Math.max(0, width - s.length())) + s;
    }
}
