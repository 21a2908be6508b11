package dev.ravine.doctor.detect;

/**
 * Confident learning's estimate of the label-noise rate (Northcutt, Jiang and Chuang, "Confident Learning: Estimating
 * Uncertainty in Dataset Labels", JAIR 2021) from predicted class probabilities and the given labels. Per class j the
 * threshold t_j is the mean predicted probability of j over the samples labelled j (the model's self-confidence on that
 * class). A sample labelled i counts in the confident joint at (i, j) for the class j with the largest p_j among those
 * with p_j >= t_j; the joint's rows are then calibrated to the label counts, and the off-diagonal mass over the total is
 * the estimated fraction of labels that are wrong.
 *
 * <p>One departure, for a model that has not learned well: thresholds below {@value #MIN_THRESHOLD} are raised to it,
 * so a sample counts as confidently of another class only when the model gives that class at least even odds. An
 * underfit model (every probability near 1/classes) then finds little noise instead of a lot.
 *
 * @param rate      the estimated fraction of wrong labels
 * @param counted   samples that entered the confident joint (some class above its threshold)
 * @param offDiagonal of those, the samples whose confident class is not their label (before calibration)
 * @param thresholds the per-class thresholds used
 */
public record ConfidentLearning(double rate, int counted, int offDiagonal, double[] thresholds) {
    static final double MIN_THRESHOLD = 0.5;

    /** @param probabilities one row of class probabilities per sample; @param labels the given label of each sample */
    public static ConfidentLearning estimate(float[][] probabilities, int[] labels, int classes) {
        double[] sum = new double[classes];
        int[] count = new int[classes];
        for (int s = 0; s < labels.length; s++) {
            sum[labels[s]] += probabilities[s][labels[s]];
            count[labels[s]]++;
        }
        double[] t = new double[classes];
        for (int j = 0; j < classes; j++) t[j] = Math.max(MIN_THRESHOLD, count[j] == 0 ? 1 : sum[j] / count[j]);
        double[][] joint = new double[classes][classes];
        int counted = 0, off = 0;
        for (int s = 0; s < labels.length; s++) {
            int best = -1;
            for (int j = 0; j < classes; j++) {
                if (probabilities[s][j] >= t[j] && (best < 0 || probabilities[s][j] > probabilities[s][best])) best = j;
            }
            if (best < 0) continue;
            joint[labels[s]][best]++;
            counted++;
            if (best != labels[s]) off++;
        }
        double offMass = 0, total = 0;
        for (int i = 0; i < classes; i++) {
            double row = 0;
            for (int j = 0; j < classes; j++) row += joint[i][j];
            if (row == 0) continue;
            for (int j = 0; j < classes; j++) {
                double calibrated = joint[i][j] / row * count[i];
                total += calibrated;
                if (i != j) offMass += calibrated;
            }
        }
        return new ConfidentLearning(total == 0 ? 0 : offMass / total, counted, off, t);
    }
}
