package dev.ravine.doctor.detect;

import static dev.ravine.doctor.detect.Readings.fmt;

import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.Remedies;
import dev.ravine.doctor.finding.Remedy;
import dev.ravine.doctor.finding.RunFacts;
import dev.ravine.doctor.finding.Severity;
import dev.ravine.train.EpochEvent;
import java.util.List;
import java.util.Optional;

/**
 * Overfitting (note 001: low training loss, high test loss; note 004): the validation loss rose in each of the last
 * {@code patience} epochs while the training loss fell over the same epochs, and the latest validation loss is more
 * than {@code minRise} (relative) above the best one. Reports the best epoch (lowest validation loss) and the gap
 * between validation and training loss. Silent without a validation set (NaN validation loss).
 */
public record OverfittingDetector(int patience, double minRise) implements EpochDetector {
    public static OverfittingDetector defaults() {
        return new OverfittingDetector(3, 0.05);
    }

    @Override
    public String id() {
        return "overfitting";
    }

    @Override
    public Optional<Finding> examine(List<EpochEvent> epochs, RunFacts facts) {
        int n = epochs.size();
        if (n < patience + 1) return Optional.empty();
        for (int i = n - patience; i < n; i++) {
            EpochEvent prev = epochs.get(i - 1), cur = epochs.get(i);
            if (!Double.isFinite(cur.valLoss()) || !Double.isFinite(prev.valLoss()) || !(cur.valLoss() > prev.valLoss())) return Optional.empty();
        }
        EpochEvent start = epochs.get(n - patience - 1), latest = epochs.getLast();
        if (!(latest.trainLoss() < start.trainLoss())) return Optional.empty();
        EpochEvent best = epochs.getFirst();
        for (EpochEvent e : epochs) if (Double.isFinite(e.valLoss()) && !(e.valLoss() >= best.valLoss())) best = e;
        if (!(latest.valLoss() > (1 + minRise) * best.valLoss())) return Optional.empty();
        double gap = latest.valLoss() - latest.trainLoss();
        List<String> evidence = List.of(
                "validation loss rose " + patience + " epochs in a row: " + fmt(start.valLoss()) + " -> " + fmt(latest.valLoss()) + " (epochs "
                        + start.epoch() + "-" + latest.epoch() + ") while training loss fell " + fmt(start.trainLoss()) + " -> " + fmt(latest.trainLoss()),
                "best epoch " + best.epoch() + " (step " + best.step() + "): validation loss " + fmt(best.valLoss())
                        + (Double.isFinite(best.valAccuracy()) ? ", validation accuracy " + fmt(best.valAccuracy()) : ""),
                "generalization gap now " + fmt(gap) + " (validation " + fmt(latest.valLoss()) + " - training " + fmt(latest.trainLoss()) + ")");
        List<Remedy> remedies = new java.util.ArrayList<>();
        remedies.add(Remedies.earlyStopping(patience, "keep the weights of epoch " + best.epoch() + ", the best on validation data"));
        Remedies.dropoutAfterHidden(facts, "dropout keeps units from co-adapting to the training samples").ifPresent(remedies::add);
        Remedies.weightDecay(facts, "L2 regularization pulls the weights toward small, smoother solutions").ifPresent(remedies::add);
        Remedies.augment(facts).ifPresent(remedies::add);
        return Optional.of(new Finding(id(), "Overfitting: validation loss rising while training loss falls", Severity.WARNING, best.step(), latest.step(),
                List.of(), evidence, "The model is memorizing the training set: what it learns no longer carries over to unseen data.", remedies));
    }
}
