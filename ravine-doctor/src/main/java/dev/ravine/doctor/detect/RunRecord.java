package dev.ravine.doctor.detect;

/**
 * What a finished run's own records say about its outcome, for the end-of-run refutations ({@link Refuter}): the
 * final training loss, the loss of the best constant prediction (for a classification the entropy of the class
 * frequencies, the loss of predicting the priors; NaN when unknown), and the trained model's recall per class on
 * training samples (NaN for a class without samples; an empty array when not measured or not a classification).
 */
public record RunRecord(double finalTrainLoss, double priorLoss, double[] trainRecall) {
    public RunRecord {
        trainRecall = trainRecall.clone();
    }

    /** A run whose outcome is not known (nothing can be refuted by it). */
    public static final RunRecord UNKNOWN = new RunRecord(Double.NaN, Double.NaN, new double[0]);

    @Override
    public double[] trainRecall() {
        return trainRecall.clone();
    }
}
