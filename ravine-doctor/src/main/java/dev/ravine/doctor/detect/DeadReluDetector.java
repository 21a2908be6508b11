package dev.ravine.doctor.detect;

import static dev.ravine.doctor.detect.Readings.fmt;

import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.Remedies;
import dev.ravine.doctor.finding.Remedy;
import dev.ravine.doctor.finding.RunFacts;
import dev.ravine.doctor.finding.Severity;
import dev.ravine.doctor.instrument.ActivationReading;
import dev.ravine.doctor.instrument.StepReading;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Dead ReLUs: units that output zero for every sample get zero gradient and never recover. Triggered when a ReLU
 * layer has at least {@code fraction} of its units inactive on the whole batch in each of the last
 * {@code persistence} full readings; reports the layer, the fraction and since when.
 */
public record DeadReluDetector(double fraction, int persistence) implements Detector {
    public static DeadReluDetector defaults() {
        return new DeadReluDetector(0.5, 3);
    }

    @Override
    public String id() {
        return "dead_relu";
    }

    @Override
    public Optional<Finding> examine(List<StepReading> window, RunFacts facts) {
        List<StepReading> full = Readings.full(window);
        if (full.size() < persistence) return Optional.empty();
        StepReading latest = full.getLast();
        List<String> layers = new ArrayList<>();
        List<String> evidence = new ArrayList<>();
        long since = latest.step();
        for (ActivationReading a : latest.activations()) {
            if (!a.kind().equals("relu")) continue;
            long start = deadSince(full, a.module());
            if (start < 0) continue;
            layers.add(a.module());
            since = Math.min(since, start);
            evidence.add("layer " + a.module() + ": " + fmt(100 * a.deadFraction()) + "% of units inactive on every sample, since step " + start);
        }
        if (layers.isEmpty()) return Optional.empty();
        double learnt = learntShare(window, facts);
        boolean harmless = learnt < LEARNT;
        if (harmless) {
            evidence.add("the loss fell meanwhile to " + fmt(learnt) + "x the run's start (median of the window's last third): the units still"
                    + " alive fit the training data, so the dead ones took nothing it needed (a note, not the run's problem)");
        }
        double falling = fallOverWindow(window);
        if (!harmless && falling <= STILL_FALLING && layers.stream().allMatch(l -> sharesNormalization(l, latest, facts))) {
            harmless = true;
            evidence.add("each of these layers follows a group or layer normalization and is not wholly silent, and the loss is still falling"
                    + " (median of the window's last third " + fmt(falling) + "x its middle third's): the normalization's statistics, shared with"
                    + " the units that fire, still pass gradient to the silent ones' inputs, so they have not stopped learning while the"
                    + " network learns (a note, not the run's problem)");
        }
        List<Remedy> remedies = new ArrayList<>();
        int first = topLevelIndex(layers.getFirst(), facts);
        if (first >= 0) remedies.add(Remedies.activation(first, "relu", "leaky_relu", "a small negative slope keeps a gradient flowing through inactive units"));
        remedies.add(Remedies.learningRate(facts, facts.learningRate() / 3, "large steps push biases far negative, killing units"));
        Remedies.initializationFitting(facts, "He initialization keeps pre-activations centred with the right spread").ifPresent(remedies::add);
        if (first >= 0) Remedies.batchnormBefore(facts, first, "normalized pre-activations keep about half the units active").ifPresent(remedies::add);
        return Optional.of(new Finding(id(), "Dead ReLU units", harmless ? Severity.INFO : Severity.WARNING, since, latest.step(), layers, evidence,
                "These units' pre-activations are negative for every input, so they output 0 and receive no gradient: they have stopped learning.",
                remedies));
    }

    /**
     * The share of the run's start loss ({@link RunFacts#startLoss()}) the window's last third of losses (median) is at; NaN
     * when either is unknown. Below {@value #LEARNT} the run has learnt an order of magnitude with the units it has: dead
     * units that stop learning leave the loss high (a ReLU MLP at lr 1.0 stays at chance), while a CNN memorizing 40
     * digits went to 1e-4 with 60% of its first layer's units dead, and its problem was overfitting.
     */
    private static double learntShare(List<StepReading> window, RunFacts facts) {
        double[] loss = window.stream().mapToDouble(StepReading::loss).filter(Double::isFinite).toArray();
        double start = facts.startLoss();
        if (loss.length == 0 || !(start > 0)) return Double.NaN;
        return Readings.median(java.util.Arrays.copyOfRange(loss, loss.length - Math.max(1, loss.length / 3), loss.length)) / start;
    }

    /**
     * Whether a silent ReLU layer's units still receive gradient: it directly follows a group or layer normalization (its
     * top-level predecessor) and is not wholly silent. Such a normalization divides each unit's input by statistics
     * shared with the other units of its group, so the gradient of the units that fire flows, through those statistics,
     * into the silent ones' inputs and the kernels below them (a batch normalization's statistics are per unit, and pass
     * nothing to a unit silent on the whole batch). With every unit silent nothing flows at all.
     */
    private static boolean sharesNormalization(String module, StepReading latest, RunFacts facts) {
        double dead = Readings.activation(latest, module).map(ActivationReading::deadFraction).orElse(Double.NaN);
        if (!(dead < 1)) return false;
        try {
            int i = Integer.parseInt(module);
            if (i < 1 || i >= facts.layerKinds().size()) return false;
            String before = facts.layerKinds().get(i - 1);
            return before.equals("groupnorm") || before.equals("layernorm");
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * The median loss of the window's last third over its middle third's (NaN when the window is too short): below
     * {@value #STILL_FALLING} the run is still learning at the window's end. A group-normalized CNN with three quarters of
     * a layer's channels silent read 0.53 over its first 30 steps and trained to 0.26x the chance loss; with all of them
     * silent another seed sat at the chance loss (1.0).
     */
    private static double fallOverWindow(List<StepReading> window) {
        double[] loss = window.stream().mapToDouble(StepReading::loss).filter(Double::isFinite).toArray();
        int third = loss.length / 3;
        if (third < 3) return Double.NaN;
        double middle = Readings.median(java.util.Arrays.copyOfRange(loss, third, 2 * third));
        double last = Readings.median(java.util.Arrays.copyOfRange(loss, loss.length - third, loss.length));
        return middle > 0 ? last / middle : Double.NaN;
    }

    /** The fall over the window (last third over middle third) at or below which the loss is still falling. */
    static final double STILL_FALLING = 0.9;

    /** The share of its start loss below which a run has learnt, dead units or not. */
    static final double LEARNT = 0.1;

    /** The first step of the run of consecutive readings (ending at the latest) where the layer was dead; -1 if the latest run is too short. */
    private long deadSince(List<StepReading> full, String module) {
        int count = 0;
        long start = -1;
        for (int i = full.size() - 1; i >= 0; i--) {
            double d = Readings.activation(full.get(i), module).map(ActivationReading::deadFraction).orElse(Double.NaN);
            if (!(d >= fraction)) break;
            count++;
            start = full.get(i).step();
        }
        return count >= persistence ? start : -1;
    }

    /** The config index of a top-level module ("3"), or -1 for a nested one ("2.1") or a model of another shape. */
    private static int topLevelIndex(String module, RunFacts facts) {
        try {
            int i = Integer.parseInt(module);
            return i < facts.layerKinds().size() && facts.layerKinds().get(i).equals("relu") ? i : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
