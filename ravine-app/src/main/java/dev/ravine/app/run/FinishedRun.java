package dev.ravine.app.run;

import dev.ravine.app.config.RunConfig;
import dev.ravine.data.Dataset;
import dev.ravine.doctor.detect.RunRecord;
import dev.ravine.nn.Module;
import dev.ravine.train.ClassProbabilities;
import dev.ravine.train.ConfusionMatrix;
import dev.ravine.train.TrainingResult;

/**
 * The finished run's outcome as the doctor's end-of-run refutations read it ({@link RunRecord}): its final training
 * loss, the loss of predicting the class frequencies ({@link ChanceLoss}), and, for a classification, the trained
 * model's recall per class on (at most {@value #MAX_SAMPLES} of) its training samples, read with the final weights
 * before the best checkpoint is restored, and the wider reference's loss the training-loss check measured. One forward
 * pass over those samples, no gradient.
 */
final class FinishedRun {
    static final int MAX_SAMPLES = 4000;

    private FinishedRun() {}

    /** @param widerLoss the wider reference's final training loss (NaN when the training-loss check trained none) */
    static RunRecord record(RunConfig config, Dataset train, Module model, TrainingResult result, double widerLoss) {
        return new RunRecord(result.trainLoss(), ChanceLoss.of(config, train), trainRecall(train, model, config.training().batchSize()), widerLoss);
    }

    private static double[] trainRecall(Dataset train, Module model, int batchSize) {
        if (!train.isClassification() || train.size() == 0) return new double[0];
        // evenly spaced samples, so an unshuffled (sorted) table still gives every class its share
        int n = Math.min(train.size(), MAX_SAMPLES);
        int[] picked = new int[n];
        for (int i = 0; i < n; i++) picked[i] = (int) ((long) i * train.size() / n);
        Dataset sample = n == train.size() ? train : train.subset(picked);
        ConfusionMatrix m = ConfusionMatrix.of(ClassProbabilities.of(model, sample, batchSize), sample.labels());
        double[] recall = new double[train.numClasses()];
        for (int c = 0; c < recall.length; c++) recall[c] = c < m.classes() ? m.recall(c) : Double.NaN;
        return recall;
    }
}
