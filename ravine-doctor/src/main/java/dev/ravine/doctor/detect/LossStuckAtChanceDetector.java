package dev.ravine.doctor.detect;

import static dev.ravine.doctor.detect.Readings.fmt;

import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.Remedies;
import dev.ravine.doctor.finding.Remedy;
import dev.ravine.doctor.finding.RunFacts;
import dev.ravine.doctor.finding.Severity;
import dev.ravine.doctor.instrument.StepReading;
import java.util.List;
import java.util.Optional;

/**
 * Cross-entropy stuck at log(classes): the model predicts the uniform distribution, i.e. it has learned nothing
 * (note 004's non-convergence checklist). Triggered when the mean loss of the window's last {@code tail} steps is
 * within {@code tolerance} (relative) of ln C, after at least {@code minSteps} steps.
 */
public record LossStuckAtChanceDetector(double tolerance, int tail, long minSteps) implements Detector {
    public static LossStuckAtChanceDetector defaults() {
        return new LossStuckAtChanceDetector(0.02, 20, 100);
    }

    @Override
    public String id() {
        return "loss_stuck_at_chance";
    }

    @Override
    public Optional<Finding> examine(List<StepReading> window, RunFacts facts) {
        if (facts.numClasses() < 2 || window.size() < tail || window.getLast().step() < minSteps) return Optional.empty();
        double chance = Math.log(facts.numClasses());
        double mean = window.subList(window.size() - tail, window.size()).stream().mapToDouble(StepReading::loss).average().orElse(Double.NaN);
        if (!(Math.abs(mean - chance) <= tolerance * chance)) return Optional.empty();
        long from = window.get(window.size() - tail).step();
        return Optional.of(new Finding(id(), "Loss stuck at chance level", Severity.WARNING, from, window.getLast().step(), List.of(),
                List.of("mean loss " + fmt(mean) + " over steps " + from + "-" + window.getLast().step() + " vs ln(" + facts.numClasses() + ") = " + fmt(chance)),
                "The network outputs the same distribution for every input: no signal is getting through (unnormalized inputs,"
                        + " a learning rate far off, dead units, or labels that do not match the inputs).",
                remedies(facts)));
    }

    private static List<Remedy> remedies(RunFacts facts) {
        List<Remedy> out = new java.util.ArrayList<>();
        Remedies.standardize(facts, "features on a common scale give the first layer a usable signal").ifPresent(out::add);
        out.add(Remedies.learningRate(facts, facts.learningRate() / 10, "a learning rate far from the usable range leaves the loss where it started"));
        out.add(Remedies.overfitSubset(100));
        return out;
    }
}
