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
            if (r.layers().size() < 2 || !(q < ratio) || cutByDeadLayer(r, early)) return throughTime(recent, facts, full);
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

    /**
     * The recurrent form: the smallest first-to-last-step ratio of each reading stays below {@code ratio}, unless the
     * run's own readings show a cell that controls its carry (a gate) and is either opening it or was never trained:
     * <ul>
     *   <li>the ratio of the latest reading is {@value #OPENING}x or more the window's first, and above float32's
     *       resolution ({@value #RESOLUTION}; below it the first steps' share of the shared weights' gradient is lost in
     *       round-off whatever its trend): a gate is learning to carry the state (a healthy GRU on the adding problem
     *       went from 5.7e-5 at step 1 to 5.6e-4 at step 20 and 3.4e-2 at step 220 while its loss fell; a vanilla tanh
     *       RNN's stayed between 1e-18 and 6e-15);</li>
     *   <li>over the window's full readings (at least {@value #FROZEN_READINGS}: the rule waits for them) it stayed within
     *       {@value #FROZEN_SPREAD}x of itself: the
     *       dynamics never changed, so the weights did not move and the reading is the initialization's, not the
     *       trained cell's (an LSTM under Adadelta at lr 0.001: 8.2e-4 to 8.6e-4 over 250 steps, its loss flat; a
     *       learning rate too small, not a cell that cannot carry, since a trained vanilla RNN's ratio varies by
     *       orders of magnitude).</li>
     * </ul>
     */
    private Optional<Finding> throughTime(List<StepReading> recent, RunFacts facts, List<StepReading> full) {
        double worst = 0;
        String layer = null;
        for (StepReading r : recent) {
            double smallest = smallestTimeRatio(r);
            if (!(smallest < ratio)) return Optional.empty();
            for (ActivationReading a : r.activations()) if (a.timeGradientRatio() == smallest) layer = a.module();
            worst = Math.max(worst, smallest);
        }
        double[] history = full.stream().mapToDouble(VanishingGradientsDetector::smallestTimeRatio).filter(v -> v > 0 && Double.isFinite(v)).toArray();
        double now = smallestTimeRatio(recent.getLast());
        if (history.length > 0 && now >= OPENING * history[0] && now > RESOLUTION) return Optional.empty();
        // Whether the ratio moves with training is part of the evidence, so the rule waits until it can be seen.
        if (history.length < FROZEN_READINGS || java.util.Arrays.stream(history).max().orElseThrow()
                <= FROZEN_SPREAD * java.util.Arrays.stream(history).min().orElseThrow()) {
            return Optional.empty();
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

    /**
     * Whether the first layer's gradient is exactly zero because a ReLU layer on the way back has every unit inactive on
     * the whole batch: the signal is cut, not shrunk. A product of per-layer factors below 1 makes a gradient small,
     * never exactly 0; a dead layer passes nothing at all, and reviving its units (dead_relu's remedies) is the cure,
     * not a re-initialization for gain (a two-unit ReLU stack on XOR whose middle layer died read "0x that of the last
     * layer" from step 1 and was called vanishing_gradients).
     */
    static boolean cutByDeadLayer(StepReading r, double firstRelativeGradient) {
        if (firstRelativeGradient != 0) return false;
        for (ActivationReading a : r.activations()) if (a.kind().equals("relu") && a.deadFraction() >= 1) return true;
        return false;
    }

    static final double OPENING = 5;
    /** float32's relative resolution (2^-23). */
    static final double RESOLUTION = 1.1920929e-7;
    static final int FROZEN_READINGS = 5;
    static final double FROZEN_SPREAD = 1.25;

    /** The smallest first-to-last-step gradient ratio among a reading's recurrent layers (infinity when none). */
    private static double smallestTimeRatio(StepReading r) {
        double smallest = Double.POSITIVE_INFINITY;
        for (ActivationReading a : r.activations()) {
            if (Double.isFinite(a.timeGradientRatio()) && a.timeGradientRatio() < smallest) smallest = a.timeGradientRatio();
        }
        return smallest;
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
