package dev.ravine.doctor.detect;

import static dev.ravine.doctor.detect.Readings.fmt;

import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.Remedy;
import dev.ravine.doctor.finding.RunFacts;
import dev.ravine.doctor.finding.Severity;
import dev.ravine.doctor.instrument.LayerReading;
import dev.ravine.doctor.instrument.StepReading;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Exploding gradients (note 003: the chain rule multiplies per-layer factors; above 1 they grow geometrically).
 * Two triggers: non-finite values (loss, weights or gradients become NaN/Inf: blocking, reported at the first step
 * and layer where they appear), or a global gradient norm that rose more than {@code growth}-fold over the
 * window's median. The layer where growth starts is the first layer, in network order, whose own gradient norm
 * rose by that factor.
 */
public record ExplodingGradientsDetector(double growth) implements Detector {
    public static ExplodingGradientsDetector defaults() {
        return new ExplodingGradientsDetector(10);
    }

    @Override
    public String id() {
        return "exploding_gradients";
    }

    @Override
    public Optional<Finding> examine(List<StepReading> window, RunFacts facts) {
        Optional<Finding> nonFinite = nonFinite(window, facts);
        return nonFinite.isPresent() ? nonFinite : growth(window, facts);
    }

    private Optional<Finding> nonFinite(List<StepReading> window, RunFacts facts) {
        for (StepReading r : window) {
            List<String> layers = new ArrayList<>();
            for (LayerReading l : r.layers()) if (l.nonFinite() > 0 || Double.isNaN(l.gradNorm())) layers.add(l.layer());
            if (Double.isFinite(r.loss()) && layers.isEmpty()) continue;
            List<String> evidence = new ArrayList<>();
            evidence.add("step " + r.step() + ": loss " + fmt(r.loss()) + (layers.isEmpty() ? "" : "; non-finite gradients or weights in layer " + String.join(", ", layers)));
            return Optional.of(new Finding(id(), "Gradients exploded to NaN/Inf", Severity.BLOCKING, r.step(), window.getLast().step(), layers, evidence,
                    "A value overflowed: updates grew until weights or activations were no longer representable. Once one NaN appears"
                            + " it spreads through every later step, so training cannot recover by itself.",
                    remedies(facts, Double.NaN)));
        }
        return Optional.empty();
    }

    private Optional<Finding> growth(List<StepReading> window, RunFacts facts) {
        List<StepReading> full = Readings.full(window);
        if (full.size() < 4) return Optional.empty();
        StepReading latest = full.getLast();
        List<StepReading> before = full.subList(0, full.size() - 1);
        double median = Readings.median(before.stream().mapToDouble(StepReading::globalGradNorm).toArray());
        double ratio = latest.globalGradNorm() / median;
        if (!(ratio > growth)) return Optional.empty();
        long onset = latest.step();
        for (StepReading r : full) {
            if (r.globalGradNorm() > Math.sqrt(growth) * median) {
                onset = r.step();
                break;
            }
        }
        String startLayer = firstGrowingLayer(before, latest);
        List<String> evidence = List.of(
                "global gradient norm " + fmt(latest.globalGradNorm()) + " at step " + latest.step() + ", " + fmt(ratio) + "x the window's median " + fmt(median),
                "growth began near step " + onset + (startLayer == null ? "" : "; the first layer whose gradient grew " + fmt(growth) + "x is layer " + startLayer));
        return Optional.of(new Finding(id(), "Exploding gradients", Severity.WARNING, onset, latest.step(), startLayer == null ? List.of() : List.of(startLayer),
                evidence, "Gradients are growing geometrically through the layers (per-layer factors above 1 multiply in backprop);"
                        + " a few more steps like this overflow to NaN.", remedies(facts, median)));
    }

    private String firstGrowingLayer(List<StepReading> before, StepReading latest) {
        for (LayerReading l : latest.layers()) {
            double median = Readings.median(before.stream().mapToDouble(r -> Readings.layer(r, l.layer()).map(LayerReading::gradNorm).orElse(Double.NaN)).toArray());
            if (l.gradNorm() / median > growth) return l.layer();
        }
        return null;
    }

    private static List<Remedy> remedies(RunFacts facts, double typicalNorm) {
        List<Remedy> out = new ArrayList<>();
        String clip = Double.isFinite(typicalNorm) ? fmt(Math.max(0.1, 2 * typicalNorm)) : "1.0";
        out.add(new Remedy("clip.global_norm: " + clip, "gradient clipping caps the step length whatever the gradient does (note 003's first remedy)"));
        out.add(new Remedy("optimizer.lr: " + fmt(facts.learningRate()) + " -> " + fmt(facts.learningRate() / 3),
                "a smaller step keeps the iterates inside the region where the loss is well approximated"));
        out.add(new Remedy("add batchnorm after each linear/conv layer", "normalization keeps each layer's scale near 1, so the per-layer factors cannot compound"));
        out.add(new Remedy("init: he_normal (ReLU) or xavier_normal (tanh)", "variance-preserving initialization starts every factor near 1"));
        return out;
    }
}
