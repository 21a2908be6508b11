package dev.ravine.doctor.detect;

import static dev.ravine.doctor.detect.Readings.fmt;

import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.Remedies;
import dev.ravine.doctor.finding.Remedy;
import dev.ravine.doctor.finding.RunFacts;
import dev.ravine.doctor.finding.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Why the training loss stayed high: model bias or optimization (note 001: first look at the training loss; compare
 * with a smaller or shallower network, since a deeper net worse than a shallower one on the training data is an
 * optimization problem, not a lack of capacity; note 004: check that the model can overfit a small subset). The app
 * measures the reference losses (fresh networks trained on a short budget); this rule decides:
 * <ol>
 *   <li>the loss is <b>high</b> when the run's final training loss is above {@code highFraction} x its first loss;</li>
 *   <li>a <b>shallower</b> net (the same layers with all hidden blocks but the first removed) reaching below
 *       {@code betterFactor} x the run's loss: <b>optimization_issue</b> (depth is what fails to train);</li>
 *   <li>a <b>wider</b> net (hidden layers 4x as wide, or one hidden layer of 64 ReLUs when there is none) reaching
 *       below {@code betterFactor} x the run's loss: <b>model_bias</b> (the model is too small for the data);</li>
 *   <li>otherwise, the model failing to overfit a small subset (its loss there staying above {@code overfitFraction}
 *       x its first loss there): <b>optimization_issue</b>.</li>
 * </ol>
 * Losses are NaN when a reference was not measured (no such network for this model). Defaults: highFraction 0.5,
 * betterFactor 0.7, overfitFraction 0.25.
 */
public record TrainingLossDiagnosis(double highFraction, double betterFactor, double overfitFraction) {
    /** What the references measured; NaN where not measured. */
    public record Measurements(double runLoss, double runFirstLoss, double shallowerLoss, double widerLoss, double subsetLoss,
                               double subsetFirstLoss, int subsetSize, long budgetSteps, long step) {}

    public static TrainingLossDiagnosis defaults() {
        return new TrainingLossDiagnosis(0.5, 0.7, 0.25);
    }

    /** Whether the run's loss stayed high enough for the references to be worth training. */
    public boolean isHigh(double runLoss, double runFirstLoss) {
        return Double.isFinite(runLoss) && runFirstLoss > 0 && runLoss > highFraction * runFirstLoss;
    }

    public Optional<Finding> decide(Measurements m) {
        return decide(m, null);
    }

    /** @param facts the run's facts, for remedies that patch its layers (none of those when null) */
    public Optional<Finding> decide(Measurements m, RunFacts facts) {
        if (!isHigh(m.runLoss(), m.runFirstLoss())) return Optional.empty();
        String high = "training loss " + fmt(m.runLoss()) + " at the end = " + fmt(m.runLoss() / m.runFirstLoss()) + "x its first value "
                + fmt(m.runFirstLoss()) + " (high: above " + fmt(highFraction) + "x)";
        if (m.shallowerLoss() < betterFactor * m.runLoss()) {
            return Optional.of(optimization(m, facts, List.of(high, "a shallower network (only the first hidden block) reaches training loss "
                    + fmt(m.shallowerLoss()) + " in " + m.budgetSteps() + " steps from a fresh start: the deeper model is worse on its own"
                    + " training data, so depth defeats the optimizer, not a lack of capacity (note 001)")));
        }
        if (m.widerLoss() < betterFactor * m.runLoss()) {
            List<String> evidence = new ArrayList<>(List.of(high, "a wider network reaches training loss " + fmt(m.widerLoss()) + " in "
                    + m.budgetSteps() + " steps from a fresh start: more capacity fits the data better"));
            if (Double.isFinite(m.shallowerLoss())) evidence.add("a shallower one reaches " + fmt(m.shallowerLoss()) + ": depth is not the problem");
            return Optional.of(new Finding("model_bias", "Model too small for the data (model bias)", Severity.WARNING, m.step(), m.step(),
                    List.of(), evidence, "The training loss stays high because the model cannot represent the function: every network of"
                    + " this size is biased away from the data (note 001: model bias; a larger model lowers the training loss).",
                    biasRemedies(facts)));
        }
        if (m.subsetLoss() > overfitFraction * m.subsetFirstLoss()) {
            return Optional.of(optimization(m, facts, List.of(high, "trained on " + m.subsetSize() + " samples only, the model's loss stays at "
                    + fmt(m.subsetLoss()) + " (" + fmt(m.subsetLoss() / m.subsetFirstLoss()) + "x its first value): it cannot even overfit"
                    + " a small subset (note 004)")));
        }
        return Optional.empty();
    }

    private static List<Remedy> biasRemedies(RunFacts facts) {
        List<Remedy> out = new ArrayList<>();
        if (facts == null) return out;
        Remedies.wider(facts, 4, "the wider reference (4x units) reached a lower loss").ifPresent(out::add);
        Remedies.deeper(facts).ifPresent(out::add);
        return out;
    }

    private static List<Remedy> optimizationRemedies(RunFacts facts) {
        List<Remedy> out = new ArrayList<>();
        if (facts != null) {
            Remedies.batchnormAfterWeighted(facts, "normalization keeps the gradient flowing through depth (note 003)").ifPresent(out::add);
            Remedies.initializationFitting(facts, "initialization that keeps each layer's gain near 1").ifPresent(out::add);
        }
        Remedies.adam(facts, "per-parameter steps compensate for badly scaled gradients").ifPresent(out::add);
        return out;
    }

    private static Finding optimization(Measurements m, RunFacts facts, List<String> evidence) {
        return new Finding("optimization_issue", "Training loss high from an optimization problem", Severity.WARNING, m.step(), m.step(), List.of(),
                evidence, "The model has the capacity but the optimizer does not find it: with depth, products of per-layer factors make"
                + " the gradients vanish or explode, and plain deep networks train worse than shallow ones (note 001: a 56-layer net worse"
                + " than a 20-layer one on the training data).",
                optimizationRemedies(facts));
    }
}
