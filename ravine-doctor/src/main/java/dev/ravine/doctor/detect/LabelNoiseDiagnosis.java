package dev.ravine.doctor.detect;

import static dev.ravine.doctor.detect.Readings.fmt;

import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.Severity;
import java.util.List;
import java.util.Optional;

/**
 * label_noise: the confident-learning estimate ({@link ConfidentLearning}) of the fraction of wrong labels is at least
 * {@code minRate}. Checked at the end of a run whose dynamics gave no other finding, on out-of-sample class
 * probabilities; reported at step 0, since wrong labels are a property of the data and come before anything the
 * training did. Default minRate 0.15: a clean set with overlapping classes leaves a few percent (the samples the Bayes
 * classifier gets wrong look mislabelled too), so only a rate well above that is called noise.
 */
public record LabelNoiseDiagnosis(double minRate) {
    public static LabelNoiseDiagnosis defaults() {
        return new LabelNoiseDiagnosis(0.15);
    }

    /** @param source where the probabilities come from, for the evidence */
    public Optional<Finding> decide(ConfidentLearning cl, int samples, String source) {
        if (!(cl.rate() >= minRate)) return Optional.empty();
        List<String> evidence = List.of(
                "confident learning estimates " + fmt(100 * cl.rate()) + "% of the labels wrong (" + cl.offDiagonal() + " of " + cl.counted()
                        + " confidently predicted samples of " + samples + " carry another label; rows calibrated to the label counts)",
                "probabilities: " + source + "; per-class thresholds " + thresholds(cl.thresholds())
                        + " (Northcutt et al. 2021)");
        return Optional.of(new Finding("label_noise", "Noisy labels (about " + fmt(100 * cl.rate()) + "% wrong)", Severity.WARNING, 0, 0, List.of(), evidence,
                "Many samples carry a label the model confidently contradicts: the training loss cannot fall below the noise's entropy, and"
                        + " fitting it further only memorizes the wrong labels.",
                List.of(dev.ravine.doctor.finding.Remedies.earlyStopping(3, "stops before the network memorizes the wrong labels (needs validation"
                        + " data: data.validation_split); relabelling the flagged samples is the real fix, which no config key makes"))));
    }

    private static String thresholds(double[] t) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < t.length; i++) b.append(i == 0 ? "" : ", ").append(fmt(t[i]));
        return b.append("]").toString();
    }
}
