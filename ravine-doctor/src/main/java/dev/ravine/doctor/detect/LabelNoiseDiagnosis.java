package dev.ravine.doctor.detect;

import static dev.ravine.doctor.detect.Readings.fmt;

import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.Refutation;
import dev.ravine.doctor.finding.Remedies;
import dev.ravine.doctor.finding.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * label_noise: the confident-learning estimate ({@link ConfidentLearning}) of the fraction of wrong labels is at least
 * {@code minRate}. Checked at the end of a run whose dynamics gave no other finding, on out-of-sample class
 * probabilities; reported at step 0, since wrong labels are a property of the data and come before anything the
 * training did. Default minRate 0.15: a clean set with overlapping classes leaves a few percent (the samples the Bayes
 * classifier gets wrong look mislabelled too), so only a rate well above that is called noise.
 *
 * <p>Labels drawn independently of the inputs (pure noise) put the estimate at its ceiling: a sample's confident class
 * is then its label only by chance, 1 in {@code classes}, so the rate is 1 - 1/classes. From {@code uninformative} of
 * that ceiling on (default 0.85) the finding says the labels carry nothing the inputs predict, with the held-out
 * accuracy at chance as its second evidence where the run has validation data, and its remedy is to check the labels:
 * no config change fixes data (early stopping, the remedy of partial noise, would only stop the memorizing sooner).
 *
 * <p>Refuted (demoted to INFO, {@link Refutation}) when the run fits its labels: a final training loss below
 * {@value #FIT_FRACTION}x the loss of predicting the class frequencies means the model agrees with nearly every label,
 * which wrong labels would forbid unless it memorized them. Memorizing has its own signature where the run has held-out
 * data: its held-out accuracy stays at or below what labels with the estimated rate wrong allow
 * ({@link #noiseCeiling}), and then the finding stands. Without held-out data a fit that deep is taken as the labels'
 * agreement with the inputs, which the neighbour votes missed (a sequence read through attention, say). A run that does
 * not fit is refuted the same way by a wider reference that does ({@link #widerFits}).
 */
public record LabelNoiseDiagnosis(double minRate, double uninformative) {
    public static LabelNoiseDiagnosis defaults() {
        return new LabelNoiseDiagnosis(0.15, 0.85);
    }

    /** @param source where the probabilities come from, for the evidence */
    public Optional<Finding> decide(ConfidentLearning cl, int samples, String source) {
        return decide(cl, samples, source, HeldOut.NONE);
    }

    /**
     * The run's final accuracies, training and held-out (NaN where there is none), the held-out accuracy a constant
     * guess of the most frequent class reaches (chance), and {@code unseenAccuracy}: the run's accuracy on samples it
     * had not trained on yet, its first epoch's running training accuracy (each batch is scored before the step that
     * learns from it), NaN when unknown.
     */
    public record HeldOut(double trainAccuracy, double accuracy, double chance, double unseenAccuracy) {
        public static final HeldOut NONE = new HeldOut(Double.NaN, Double.NaN, Double.NaN, Double.NaN);

        /** Without the accuracy on unseen samples. */
        public HeldOut(double trainAccuracy, double accuracy, double chance) {
            this(trainAccuracy, accuracy, chance, Double.NaN);
        }

        /** Held-out accuracy within 5 points of chance while the training accuracy is 5 points above it. */
        boolean atChance() {
            return Math.abs(accuracy - chance) <= 0.05 && trainAccuracy > chance + 0.05;
        }
    }

    /** @param heldOut the run's held-out accuracy against chance, as evidence for labels that carry no information */
    public Optional<Finding> decide(ConfidentLearning cl, int samples, String source, HeldOut heldOut) {
        return decide(cl, samples, source, heldOut, RunRecord.UNKNOWN);
    }

    /** @param record the finished run's training loss against the prior's, which refutes noise the model fits */
    public Optional<Finding> decide(ConfidentLearning cl, int samples, String source, HeldOut heldOut, RunRecord record) {
        Optional<Finding> found = raise(cl, samples, source, heldOut);
        return found.map(f -> refutation(cl.rate(), cl.thresholds().length, heldOut, record).map(r -> r.applyTo(f)).orElse(f));
    }

    /** A training loss below this share of the prior's loss fits the labels (see the class comment). */
    static final double FIT_FRACTION = 0.1;

    /**
     * The refutation of an estimated noise {@code rate} by a run that fits its labels (final training loss below
     * {@value #FIT_FRACTION}x the prior's), unless its held-out accuracy is known and no better than the noise allows.
     */
    static Optional<Refutation> refutation(double rate, int classes, HeldOut heldOut, RunRecord record) {
        double loss = record.finalTrainLoss(), prior = record.priorLoss();
        if (!(prior > 0)) return Optional.empty();
        if (!(loss < FIT_FRACTION * prior)) return widerFits(rate, record);
        double ceiling = noiseCeiling(rate, classes);
        boolean memorized = Double.isFinite(heldOut.accuracy()) && heldOut.accuracy() <= ceiling;
        if (memorized) return Optional.empty();
        List<String> evidence = new ArrayList<>(List.of("the model fits the labels: final training loss " + fmt(loss) + " = " + fmt(loss / prior)
                + "x the loss of predicting the class frequencies, " + fmt(prior) + " (below " + fmt(FIT_FRACTION) + "x), which "
                + fmt(100 * rate) + "% wrong labels would not allow without memorizing them"));
        if (Double.isFinite(heldOut.accuracy())) {
            evidence.add("held-out accuracy " + fmt(100 * heldOut.accuracy()) + "%, above the " + fmt(100 * ceiling)
                    + "% that labels with that rate wrong allow: not memorized");
        }
        return Optional.of(new Refutation("label_noise", evidence));
    }

    /**
     * The refutation by the wider reference of the training-loss check: a network with more capacity, trained from fresh
     * weights like the run and for no more of its steps, fitting the labels below {@value #FIT_FRACTION}x the prior's
     * loss. Labels with {@code rate} of them wrong cannot be fitted that deep so soon; the neighbour votes that
     * contradicted them missed how the labels follow the inputs (a token count read through an embedding, say), and what
     * kept the run's own loss high is its model's capacity (model_bias), not its labels. Without held-out data this is
     * the only evidence that a model of enough capacity fits the labels: a narrow model that cannot fit is no evidence
     * of noise.
     */
    static Optional<Refutation> widerFits(double rate, RunRecord record) {
        double wider = record.widerLoss(), prior = record.priorLoss();
        if (!(wider < FIT_FRACTION * prior)) return Optional.empty();
        return Optional.of(new Refutation("label_noise", List.of("a wider network trained like the run from fresh weights, for as many"
                + " steps, fits the labels: training loss " + fmt(wider) + " = " + fmt(wider / prior) + "x the loss of predicting the class"
                + " frequencies, " + fmt(prior) + " (below " + fmt(FIT_FRACTION) + "x), which " + fmt(100 * rate) + "% wrong labels would"
                + " not allow; the run's own loss " + fmt(record.finalTrainLoss()) + " stayed high for want of capacity, not from its labels")));
    }

    /** The best accuracy any predictor reaches on labels with {@code rate} of them wrong: the true class, or one wrong class of the others. */
    static double noiseCeiling(double rate, int classes) {
        return Math.max(1 - rate, rate / Math.max(1, classes - 1));
    }

    private Optional<Finding> raise(ConfidentLearning cl, int samples, String source, HeldOut heldOut) {
        if (!(cl.rate() >= minRate)) return Optional.empty();
        int classes = cl.thresholds().length;
        if (predictsBeyondNoise(cl.rate(), classes, samples, heldOut.unseenAccuracy())) return Optional.empty();
        double ceiling = 1 - 1.0 / classes;
        List<String> evidence = new ArrayList<>(List.of(
                "confident learning estimates " + fmt(100 * cl.rate()) + "% of the labels wrong (" + cl.offDiagonal() + " of " + cl.counted()
                        + " confidently predicted samples of " + samples + " carry another label; rows calibrated to the label counts)",
                "probabilities: " + source + "; per-class thresholds " + thresholds(cl.thresholds())
                        + " (Northcutt et al. 2021)"));
        if (cl.rate() >= uninformative * ceiling) return Optional.of(independent(cl, ceiling, classes, evidence, heldOut));
        return Optional.of(new Finding("label_noise", "Noisy labels (about " + fmt(100 * cl.rate()) + "% wrong)", Severity.WARNING, 0, 0, List.of(), evidence,
                "Many samples carry a label the model confidently contradicts: the training loss cannot fall below the noise's entropy, and"
                        + " fitting it further only memorizes the wrong labels.",
                List.of(Remedies.earlyStopping(3, "stops before the network memorizes the wrong labels (needs validation"
                        + " data: data.validation_split); relabelling the flagged samples is the real fix, which no config key makes"))));
    }

    /**
     * Whether the run predicted labels it had not trained on better than labels with {@code rate} of them wrong allow:
     * no predictor scores above max(1 - rate, rate / (classes - 1)) on such labels (the true class, or one wrong class
     * of the others), so an accuracy on unseen samples above that, by {@value #STANDARD_ERRORS} standard errors of an
     * accuracy over {@code samples}, refutes the estimate: the labels follow the inputs, only not as neighbours in
     * input space do (a sequence's label read through an embedding and attention, say), and the neighbour votes
     * contradict them for that reason. A first epoch's running accuracy is a lower bound of what the model predicts
     * unseen (it is still learning), so the refutation is conservative; it cannot come from memorizing.
     */
    static boolean predictsBeyondNoise(double rate, int classes, int samples, double unseenAccuracy) {
        if (!Double.isFinite(unseenAccuracy) || classes < 2 || samples <= 0) return false;
        double ceiling = noiseCeiling(rate, classes);
        double standardError = Math.sqrt(ceiling * (1 - ceiling) / samples);
        return unseenAccuracy > ceiling + STANDARD_ERRORS * standardError;
    }

    static final double STANDARD_ERRORS = 3;

    private static Finding independent(ConfidentLearning cl, double ceiling, int classes, List<String> evidence, HeldOut heldOut) {
        evidence.set(0, evidence.getFirst() + ": " + fmt(100 * cl.rate() / ceiling) + "% of the " + fmt(100 * ceiling)
                + "% that labels drawn independently of the inputs give (a sample's neighbours agree with its label 1 time in " + classes + ")");
        if (Double.isFinite(heldOut.accuracy()) && heldOut.atChance()) {
            evidence.add("held-out accuracy " + fmt(100 * heldOut.accuracy()) + "% at chance (a constant guess of the most frequent class scores "
                    + fmt(100 * heldOut.chance()) + "%) while the training accuracy rose to " + fmt(100 * heldOut.trainAccuracy())
                    + "%: the net memorizes labels that do not generalize");
        }
        return new Finding("label_noise", "Labels independent of the inputs (pure noise)", Severity.WARNING, 0, 0, List.of(), evidence,
                "The labels carry no information the inputs predict: neighbouring samples agree on their label no more often than"
                        + " chance, so the training loss stays near chance and whatever the network learns is memorized noise. A bug in"
                        + " reading or joining the labels (a shuffled label column, an off-by-one join) does this.",
                List.of(Remedies.checkLabels()));
    }

    private static String thresholds(double[] t) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < t.length; i++) b.append(i == 0 ? "" : ", ").append(fmt(t[i]));
        return b.append("]").toString();
    }
}
