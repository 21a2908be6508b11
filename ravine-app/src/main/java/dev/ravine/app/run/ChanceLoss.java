package dev.ravine.app.run;

import dev.ravine.app.config.LossConfig;
import dev.ravine.app.config.RunConfig;
import dev.ravine.data.Dataset;
import dev.ravine.nn.loss.Reduction;

/**
 * The loss of the best constant prediction on the training data: the bar a model that learned nothing about its inputs
 * reaches. For cross-entropy it is the entropy of the pooled target masses (the entropy of the class frequencies, ln C
 * for balanced classes, when the targets are plain; with label smoothing eps each row also spreads eps over the K
 * classes, and class weights scale every class's mass, as {@link LossFloor} writes the row's loss); for mean squared
 * error, the targets' variance (the loss of predicting their mean). NaN for other losses, where no such closed form is
 * used. The end-of-run check judges a "high" loss against it, since a first loss inflated by the initialization makes
 * reaching the mean's loss look like progress.
 */
final class ChanceLoss {
    private ChanceLoss() {}

    static double of(RunConfig config, Dataset train) {
        LossConfig options = config.lossOptions() == null ? null : config.lossOptions().resolved(train);
        String loss = options == null ? config.loss() : options.name();
        if (train.isClassification() && "cross_entropy".equals(loss)) {
            if (options == null) return entropy(train.classCounts());
            if (options.reduction() != Reduction.MEAN) return Double.NaN; // a sum scales with the batch: no per-sample bar
            int classes = Math.max(ReferenceModels.outputs(config.model().layers()), train.numClasses());
            return pooled(train.classCounts(), classes, options.labelSmoothing(), options.weight());
        }
        if (!train.isClassification() && "mse".equals(loss)) return variance(train.targets(), train.targetSize());
        return Double.NaN;
    }

    /**
     * The best constant prediction's cross-entropy: every row of class y puts the masses {@link LossFloor#rowMasses} on the
     * classes, one q must serve every row, and the rows' summed loss -sum_c A_c ln q_c (A the masses pooled over the rows)
     * is least at q = A / sum(A); divided, as the mean reduction divides, by the rows' summed target weight.
     */
    static double pooled(int[] counts, int classes, double eps, float[] weight) {
        double[] pooled = new double[classes];
        double weightSum = 0;
        for (int y = 0; y < counts.length; y++) {
            if (counts[y] == 0) continue;
            double[] a = LossFloor.rowMasses(y, classes, eps, weight);
            for (int c = 0; c < classes; c++) pooled[c] += counts[y] * a[c];
            weightSum += counts[y] * LossFloor.w(weight, y);
        }
        double mass = java.util.Arrays.stream(pooled).sum(), h = 0;
        for (double ac : pooled) if (ac > 0) h -= ac * Math.log(ac / mass);
        return weightSum > 0 ? h / weightSum : Double.NaN;
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
