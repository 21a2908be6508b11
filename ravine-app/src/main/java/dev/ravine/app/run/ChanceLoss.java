package dev.ravine.app.run;

import dev.ravine.app.config.RunConfig;
import dev.ravine.data.Dataset;

/**
 * The loss of the best constant prediction on the training data: the bar a model that learned nothing about its inputs
 * reaches. For cross-entropy (without class weights or label smoothing) it is the entropy of the class frequencies
 * (ln C for balanced classes); for mean squared error, the targets' variance (the loss of predicting their mean). NaN
 * for other losses, where no such closed form is used. The end-of-run check judges a "high" loss against it, since a
 * first loss inflated by the initialization makes reaching the mean's loss look like progress.
 */
final class ChanceLoss {
    private ChanceLoss() {}

    static double of(RunConfig config, Dataset train) {
        String loss = config.lossOptions() == null ? config.loss() : config.lossOptions().name();
        boolean plain = config.lossOptions() == null || config.lossOptions().weight() == null && !config.lossOptions().balanced()
                && config.lossOptions().labelSmoothing() == 0;
        if (train.isClassification() && "cross_entropy".equals(loss) && plain) return entropy(train.classCounts());
        if (!train.isClassification() && "mse".equals(loss)) return variance(train.targets(), train.targetSize());
        return Double.NaN;
    }

    static double entropy(int[] counts) {
        long total = 0;
        for (int c : counts) total += c;
        double h = 0;
        for (int c : counts) {
            if (c == 0) continue;
            double p = (double) c / total;
            h -= p * Math.log(p);
        }
        return total == 0 ? Double.NaN : h;
    }

    /** The mean over target components of each component's variance (what MSE's mean reduction averages). */
    static double variance(float[] targets, int width) {
        int n = targets.length / Math.max(1, width);
        if (n < 2) return Double.NaN;
        double sum = 0;
        for (int j = 0; j < width; j++) {
            double mean = 0;
            for (int i = 0; i < n; i++) mean += targets[i * width + j];
            mean /= n;
            double ss = 0;
            for (int i = 0; i < n; i++) {
                double d = targets[i * width + j] - mean;
                ss += d * d;
            }
            sum += ss / n;
        }
        return sum / width;
    }
}
