package dev.ravine.doctor.detect;

import static dev.ravine.doctor.detect.Readings.fmt;

import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.Remedies;
import dev.ravine.doctor.finding.Remedy;
import dev.ravine.doctor.finding.RunFacts;
import dev.ravine.doctor.finding.Severity;
import dev.ravine.doctor.instrument.ActivationReading;
import dev.ravine.doctor.instrument.LayerReading;
import dev.ravine.doctor.instrument.StepReading;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Vanishing gradients (note 003: sigmoid/tanh derivatives below 1 multiply to nothing over depth, and over time in a
 * recurrent net, where the depth is the sequence length). Triggered when, in each of the last {@code persistence} full
 * readings, the first layer's relative gradient (gradient norm / weight norm) is below {@code ratio} times the last
 * layer's, or, through time, a recurrent layer's gradient at the first step's hidden state is below {@code ratio}
 * times the one at the last step's (the same 1e-3 as AutoTrainer's first/last-layer rule; the adding problem in
 * bench/README.md: a vanilla RNN that fails at length 50 ends at 5.7e-4, the LSTM and GRU that learn it at 0.8-0.9).
 * Saturated sigmoid/tanh units and the gradient scale coefficient are reported as evidence when present.
 */
public record VanishingGradientsDetector(double ratio, int persistence) implements Detector {
    public static VanishingGradientsDetector defaults() {
        return new VanishingGradientsDetector(1e-3, 3);
    }

    @Override
    public String id() {
        return "vanishing_gradients";
    }

    @Override
    public Optional<Finding> examine(List<StepReading> window, RunFacts facts) {
        List<StepReading> full = Readings.full(window);
        if (full.size() < persistence) return Optional.empty();
        List<StepReading> recent = full.subList(full.size() - persistence, full.size());
        double worst = 0;
        for (StepReading r : recent) {
            double early = relativeGradient(r.layers().getFirst()), late = relativeGradient(r.layers().getLast());
            double q = early / late;
            if (r.layers().size() < 2 || !(q < ratio)) return throughTime(recent, facts);
            worst = Math.max(worst, q);
        }
        StepReading latest = recent.getLast();
        String first = latest.layers().getFirst().layer(), last = latest.layers().getLast().layer();
        List<String> evidence = new ArrayList<>();
        evidence.add("relative gradient of layer " + first + " is " + fmt(worst) + "x that of layer " + last + " (or less) in the last "
                + persistence + " readings, steps " + recent.getFirst().step() + "-" + latest.step());
        double saturated = 0;
        String saturatedLayer = null;
        double minGsc = Double.POSITIVE_INFINITY;
        for (ActivationReading a : latest.activations()) {
            if (a.saturatedFraction() > saturated) {
                saturated = a.saturatedFraction();
                saturatedLayer = a.module();
            }
            if (Double.isFinite(a.gsc())) minGsc = Math.min(minGsc, a.gsc());
        }
        if (saturatedLayer != null && saturated > 0.2) {
            evidence.add(fmt(100 * saturated) + "% of layer " + saturatedLayer + "'s outputs are saturated (derivative near 0)");
        }
        if (Double.isFinite(minGsc)) evidence.add("smallest gradient scale coefficient " + fmt(minGsc));
        return Optional.of(new Finding(id(), "Vanishing gradients", Severity.WARNING, recent.getFirst().step(), latest.step(), List.of(first), evidence,
                "The early layers receive almost no gradient, so they barely learn: each layer's backward factor is below 1 and"
                        + " the product shrinks with depth (saturated sigmoid/tanh derivatives are the classic cause).",
                remedies(facts)));
    }

    /** The recurrent form: the smallest first-to-last-step ratio of each reading stays below {@code ratio}. */
    private Optional<Finding> throughTime(List<StepReading> recent, RunFacts facts) {
        double worst = 0;
        String layer = null;
        for (StepReading r : recent) {
            double smallest = Double.POSITIVE_INFINITY;
            for (ActivationReading a : r.activations()) {
                if (Double.isFinite(a.timeGradientRatio()) && a.timeGradientRatio() < smallest) {
                    smallest = a.timeGradientRatio();
                    layer = a.module();
                }
            }
            if (!(smallest < ratio)) return Optional.empty();
            worst = Math.max(worst, smallest);
        }
        StepReading latest = recent.getLast();
        List<String> evidence = List.of("the gradient reaching the first time step's hidden state of layer " + layer + " is " + fmt(worst)
                + "x the one at the last step (or less) in the last " + persistence + " readings, steps " + recent.getFirst().step() + "-"
                + latest.step());
        return Optional.of(new Finding(id(), "Vanishing gradients through time", Severity.WARNING, recent.getFirst().step(), latest.step(),
                List.of(layer), evidence,
                "The error signal dies out before it reaches the start of the sequence: backpropagation through time multiplies one"
                        + " step Jacobian per step, and with factors below 1 the product vanishes over a long sequence, so the net"
                        + " cannot learn what early inputs mean (note 003).",
                timeRemedies(facts)));
    }

    private static List<Remedy> timeRemedies(RunFacts facts) {
        List<Remedy> out = new ArrayList<>();
        for (int i = 0; i < facts.layerKinds().size(); i++) {
            if (facts.layerKinds().get(i).equals("rnn")) {
                Remedies.gatedCell(facts, i).ifPresent(out::add);
                break;
            }
        }
        for (int i = 0; i < facts.layerKinds().size(); i++) {
            if (facts.layerKinds().get(i).equals("lstm")) {
                out.add(Remedies.forgetBias(i));
                break;
            }
        }
        return out;
    }

    private static double relativeGradient(LayerReading l) {
        return l.gradNorm() / Math.max(l.weightNorm(), 1e-12);
    }

    private static List<Remedy> remedies(RunFacts facts) {
        List<Remedy> out = new ArrayList<>();
        for (int i = 0; i < facts.layerKinds().size(); i++) {
            String k = facts.layerKinds().get(i);
            if (k.equals("sigmoid") || k.equals("tanh")) {
                out.add(Remedies.activation(i, k, "relu", "ReLU's derivative is 1 where active, so it does not shrink the gradient"));
                break;
            }
        }
        Remedies.batchnormAfterWeighted(facts, "keeps activations out of the saturated range").ifPresent(out::add);
        Remedies.initializationFitting(facts, "variance-preserving initialization keeps each backward factor near 1").ifPresent(out::add);
        return out;
    }
}
