package dev.ravine.doctor.detect;

/**
 * What a finished run's own records say about its outcome, for the end-of-run refutations ({@link Refuter}): the
 * final training loss, the loss of the best constant prediction (for a classification the entropy of the class
 * frequencies, the loss of predicting the priors; NaN when unknown), and the trained model's recall per class on
 * training samples (NaN for a class without samples; an empty array when not measured or not a classification), and
 * {@code widerLoss}: the final training loss of the wider reference network of the training-loss check, trained from
 * fresh weights like the run for as many of its steps (NaN when the check did not train one): what more capacity
 * reaches on the same labels.
 */
public record RunRecord(double finalTrainLoss, double priorLoss, double[] trainRecall, double widerLoss) {
    public RunRecord {
        trainRecall = trainRecall.clone();
    }

    /** Without a wider reference (none was trained). */
    public RunRecord(double finalTrainLoss, double priorLoss, double[] trainRecall) {
        this(finalTrainLoss, priorLoss, trainRecall, Double.NaN);
    }

    /** A run whose outcome is not known (nothing can be refuted by it). */
    public static final RunRecord UNKNOWN = new RunRecord(Double.NaN, Double.NaN, new double[0]);

    @Override
    public double[] trainRecall() {
        return trainRecall.clone();
    }
}
