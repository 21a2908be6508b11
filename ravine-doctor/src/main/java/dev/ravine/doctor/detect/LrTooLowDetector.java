package dev.ravine.doctor.detect;

import static dev.ravine.doctor.detect.Readings.fmt;

import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.Remedies;
import dev.ravine.doctor.finding.Remedy;
import dev.ravine.doctor.finding.RunFacts;
import dev.ravine.doctor.finding.Severity;
import dev.ravine.doctor.instrument.LayerReading;
import dev.ravine.doctor.instrument.StepReading;
import java.util.List;
import java.util.Optional;

/**
 * Learning rate too low: every layer's update/weight ratio stays far below the healthy ~1e-3 (median over the
 * window below {@code maxRatio}) while the loss falls by less than {@code minRelativeDrop} over the window.
 */
public record LrTooLowDetector(double maxRatio, double minRelativeDrop, int minReadings) implements Detector {
    /** Below this gradient/weight ratio the gradient, not the learning rate, is what is missing. */
    static final double MIN_GRADIENT_RATIO = 1e-6;

    public static LrTooLowDetector defaults() {
        return new LrTooLowDetector(1e-5, 0.01, 5);
    }

    @Override
    public String id() {
        return "lr_too_low";
    }

    @Override
    public Optional<Finding> examine(List<StepReading> window, RunFacts facts) {
        List<StepReading> full = Readings.full(window);
        if (full.size() < minReadings) return Optional.empty();
        double medianRatio = Readings.median(full.stream().mapToDouble(r -> r.layers().stream().mapToDouble(LayerReading::updateRatio)
                .filter(Double::isFinite).max().orElse(Double.NaN)).toArray());
        double first = window.getFirst().loss(), last = window.getLast().loss();
        double drop = (first - last) / Math.max(Math.abs(first), 1e-12);
        // Flat, not rising: a rising loss is never cured by a larger step.
        if (!(medianRatio < maxRatio) || !(drop < minRelativeDrop) || !(drop > -minRelativeDrop)) return Optional.empty();
        // The gradient itself must be alive: tiny updates from zero gradients (dead units, vanishing gradients) are
        // those detectors' findings, and a larger learning rate would not help.
        double gradientRatio = Readings.median(full.stream().mapToDouble(r -> r.layers().stream()
                .mapToDouble(l -> l.gradNorm() / Math.max(l.weightNorm(), 1e-12)).filter(Double::isFinite).max().orElse(0)).toArray());
        if (!(gradientRatio > MIN_GRADIENT_RATIO)) return Optional.empty();
        double suggested = facts.learningRate() * Math.min(100, Math.max(3, 1e-3 / medianRatio / 10));
        List<String> evidence = List.of(
                "largest update/weight ratio per step: median " + fmt(medianRatio) + " (healthy: about 1e-3)",
                "loss " + fmt(first) + " -> " + fmt(last) + " over steps " + window.getFirst().step() + "-" + window.getLast().step()
                        + " (" + fmt(100 * drop) + "%)");
        return Optional.of(new Finding(id(), "Learning rate too low", Severity.WARNING, window.getFirst().step(), window.getLast().step(), List.of(), evidence,
                "Each step changes the weights by a negligible fraction, so the loss crawls: the learning rate is far below what this model tolerates.",
                java.util.stream.Stream.concat(java.util.stream.Stream.of(Remedies.learningRate(facts, suggested, "brings update/weight ratios toward 1e-3")),
                        Remedies.adam(facts, "per-parameter step sizes adapt to each weight's gradient scale").stream()).toList()));
    }
}
