package dev.ravine.train;

/**
 * Counts of (true class, predicted class) pairs over a data set, and the per-class precision, recall and F1 that
 * follow from them: {@code counts[t][p]} samples of class t were predicted as p. A class that is never predicted has
 * precision NaN (0/0), one with no sample has recall NaN, and F1 is NaN when either is; the means skip NaN.
 */
public record ConfusionMatrix(long[][] counts) {
    public ConfusionMatrix {
        for (long[] row : counts) {
            if (row.length != counts.length) throw new IllegalArgumentException("a confusion matrix is square, got a row of " + row.length + " for " + counts.length + " classes");
        }
    }

    /** The matrix of the most probable class against the labels. */
    public static ConfusionMatrix of(ClassProbabilities probabilities, int[] labels) {
        if (labels.length != probabilities.samples()) {
            throw new IllegalArgumentException(labels.length + " labels for " + probabilities.samples() + " predictions");
        }
        int classes = probabilities.classes();
        for (int label : labels) classes = Math.max(classes, label + 1);
        long[][] counts = new long[classes][classes];
        int[] predicted = probabilities.predictions();
        for (int i = 0; i < labels.length; i++) counts[labels[i]][predicted[i]]++;
        return new ConfusionMatrix(counts);
    }

    public int classes() {
        return counts.length;
    }

    public long total() {
        long n = 0;
        for (long[] row : counts) for (long c : row) n += c;
        return n;
    }

    /** Samples of class c (a row sum). */
    public long support(int c) {
        long n = 0;
        for (long v : counts[c]) n += v;
        return n;
    }

    /** Samples predicted as c (a column sum). */
    public long predicted(int c) {
        long n = 0;
        for (long[] row : counts) n += row[c];
        return n;
    }

    public double precision(int c) {
        return counts[c][c] / (double) predicted(c);
    }

    public double recall(int c) {
        return counts[c][c] / (double) support(c);
    }

    public double f1(int c) {
        double p = precision(c), r = recall(c);
        if (Double.isNaN(p) || Double.isNaN(r)) return Double.NaN;
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    public double accuracy() {
        long correct = 0;
        for (int c = 0; c < counts.length; c++) correct += counts[c][c];
        return correct / (double) total();
    }

    /** The unweighted mean of F1 over the classes where it is defined. */
    public double macroF1() {
        double sum = 0;
        int n = 0;
        for (int c = 0; c < counts.length; c++) {
            double f = f1(c);
            if (!Double.isNaN(f)) {
                sum += f;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }
}
