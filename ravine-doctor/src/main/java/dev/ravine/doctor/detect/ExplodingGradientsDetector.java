package dev.ravine.doctor.detect;

import static dev.ravine.doctor.detect.Readings.fmt;

import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.Remedies;
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
 * Three triggers: non-finite values (loss, weights or gradients become NaN/Inf: blocking, reported at the first step
 * and layer where they appear); a global gradient norm above {@value #ABSOLUTE} (blocking: from the first step on,
 * as after a too-large initialization, when there is no healthy median to grow from; TheDeepChecker flags exploding
 * gradients at 1e6, see the diagnosis anchors); or a global gradient norm that rose more than {@code growth}-fold
 * over the window's median, times the window's own batch-to-batch spread ({@link #batchSpread}, its largest fall between readings: batch noise
 * alone moves a batch of one's gradient norm by orders of magnitude), at two successive full readings (one is one
 * batch's gradient). The layer where growth starts is the first layer, in network order, whose own gradient norm
 * rose by that factor.
 */
public record ExplodingGradientsDetector(double growth) implements Detector {
    public static final String ID = "exploding_gradients";
    /** The title of the finding a NaN or infinity opens (the other triggers have their own). */
    static final String NON_FINITE_TITLE = "Gradients exploded to NaN/Inf";

    /** Whether a finding is the one a NaN or infinity opens: the doctor adds the NaN's provenance to its evidence. */
    public static boolean isNonFinite(Finding f) {
        return ID.equals(f.id()) && NON_FINITE_TITLE.equals(f.title());
    }

    public static ExplodingGradientsDetector defaults() {
        return new ExplodingGradientsDetector(10);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Optional<Finding> examine(List<StepReading> window, RunFacts facts) {
        Optional<Finding> nonFinite = nonFinite(window, facts);
        if (nonFinite.isPresent()) return nonFinite;
        Optional<Finding> huge = huge(window, facts);
        if (huge.isPresent()) return huge;
        Optional<Finding> insane = insaneStart(window, facts);
        if (insane.isPresent()) return insane;
        // Growth of a gradient near convergence (loss negligible), or the spike of a stable Adam run (the more specific
        // adaptive_spike), is not reported as exploding.
        if (!(window.getLast().loss() > facts.negligibleLoss())) return Optional.empty();
        if (AdaptiveSpikeDetector.ownsRise(window, facts)) {
            return Optional.empty();
        }
        return growth(window, facts);
    }

    /** A gradient norm no healthy run has: above this the step moves weights by orders of magnitude. */
    static final double ABSOLUTE = 1e6;

    private Optional<Finding> huge(List<StepReading> window, RunFacts facts) {
        for (StepReading r : Readings.full(window)) {
            if (!(r.globalGradNorm() > ABSOLUTE)) continue;
            LayerReading largest = r.layers().stream().max(java.util.Comparator.comparingDouble(LayerReading::gradNorm)).orElseThrow();
            LayerReading first = r.layers().getFirst(), last = r.layers().getLast();
            List<String> evidence = List.of(
                    "global gradient norm " + fmt(r.globalGradNorm()) + " at step " + r.step() + " (above " + fmt(ABSOLUTE) + "), loss " + fmt(r.loss()),
                    "per layer: first layer " + first.layer() + " " + fmt(first.gradNorm()) + ", last layer " + last.layer() + " " + fmt(last.gradNorm())
                            + ", largest in layer " + largest.layer() + " " + fmt(largest.gradNorm()));
            return Optional.of(new Finding(id(), "Exploding gradients (norm " + fmt(r.globalGradNorm()) + ")", Severity.BLOCKING, r.step(),
                    window.getLast().step(), List.of(largest.layer()), evidence,
                    "The per-layer factors of backpropagation are far above 1 and multiply over depth: a gradient this large throws the"
                            + " weights orders of magnitude away in one step (note 003).", remedies(facts, Double.NaN)));
        }
        return Optional.empty();
    }

    /**
     * A classification whose first loss, before any step, is more than {@link RunFacts#SANE_START}x the chance loss ln C:
     * the freshly initialized network already produces logits orders of magnitude too large, so the per-layer gains of
     * the initialization multiply through depth (forward and, by the same factors, backward). Whatever the steps do next
     * (a jump, dead units, a loss pinned at chance) follows from where they started, so this is reported from the first
     * full reading, at the run's first step.
     */
    private Optional<Finding> insaneStart(List<StepReading> window, RunFacts facts) {
        double chance = facts.chanceLoss();
        if (!Double.isFinite(facts.firstLoss()) || !Double.isFinite(chance) || facts.startedSane()) return Optional.empty();
        List<StepReading> full = Readings.full(window);
        if (full.isEmpty()) return Optional.empty();
        StepReading r = full.getFirst();
        List<String> evidence = new ArrayList<>();
        evidence.add("first loss " + fmt(facts.firstLoss()) + " before any step = " + fmt(facts.firstLoss() / chance) + "x the chance loss ln("
                + facts.numClasses() + ") = " + fmt(chance) + " (a sane start is at most " + fmt(RunFacts.SANE_START) + "x)");
        r.layers().stream().max(java.util.Comparator.comparingDouble(LayerReading::gradNorm)).ifPresent(l -> evidence.add(
                "at step " + r.step() + " the largest layer gradient norm is " + fmt(l.gradNorm()) + " (layer " + l.layer() + "), global "
                        + fmt(r.globalGradNorm())));
        List<Remedy> remedies = new ArrayList<>();
        Remedies.initializationFitting(facts, "variance-preserving initialization starts every per-layer gain near 1").ifPresent(remedies::add);
        for (Remedy x : remedies(facts, Double.NaN)) if (remedies.stream().noneMatch(y -> y.change().equals(x.change()))) remedies.add(x);
        return Optional.of(new Finding(id(), "Exploding activations from the initialization", Severity.BLOCKING, window.getFirst().step(),
                window.getLast().step(), List.of(), evidence,
                "The untrained network's outputs are already far too large: each layer's initial weights multiply the signal's scale by"
                        + " a factor well above 1, and over depth the factors compound (note 003), in the forward pass and in the gradients.",
                remedies));
    }

    private Optional<Finding> nonFinite(List<StepReading> window, RunFacts facts) {
        for (StepReading r : window) {
            List<String> layers = new ArrayList<>();
            for (LayerReading l : r.layers()) if (l.nonFinite() > 0 || Double.isNaN(l.gradNorm())) layers.add(l.layer());
            if (Double.isFinite(r.loss()) && layers.isEmpty()) continue;
            List<String> evidence = new ArrayList<>();
            evidence.add("step " + r.step() + ": loss " + fmt(r.loss()) + (layers.isEmpty() ? "" : "; non-finite gradients or weights in layer " + String.join(", ", layers)));
            return Optional.of(new Finding(id(), NON_FINITE_TITLE, Severity.BLOCKING, r.step(), window.getLast().step(), layers, evidence,
                    "A value overflowed: updates grew until weights or activations were no longer representable. Once one NaN appears"
                            + " it spreads through every later step, so training cannot recover by itself.",
                    remedies(facts, Double.NaN)));
        }
        return Optional.empty();
    }

    private Optional<Finding> growth(List<StepReading> window, RunFacts facts) {
        List<StepReading> full = Readings.full(window);
        if (full.size() < 5) return Optional.empty();
        StepReading latest = full.getLast();
        // The growth this rule names is a product of per-layer factors: with one weighted layer there is no product, and a
        // gradient that grows there was made by the steps (a linear regression bouncing in a ravine under Nesterov momentum:
        // 18.9x its window's median at step 40), which the rules of the step and of the surface name.
        if (latest.layers().size() < 2) return Optional.empty();
        // The rise is read at the reading before the latest, against the readings before it, and must still stand at the
        // latest: growth that feeds itself persists, where one reading is one batch's gradient (in batches of one, one
        // misclassified sample's: 43x the window's median, 10.1x its spread, and an ordinary sample's at the next reading).
        List<StepReading> before = full.subList(0, full.size() - 2);
        double median = Readings.median(before.stream().mapToDouble(StepReading::globalGradNorm).toArray());
        double spread = batchSpread(before);
        double rise = full.get(full.size() - 2).globalGradNorm() / median;
        double ratio = latest.globalGradNorm() / median;
        if (!(rise > growth * spread) || !(ratio > growth * spread)) return Optional.empty();
        long onset = latest.step();
        for (StepReading r : full) {
            if (r.globalGradNorm() > Math.sqrt(growth) * median) {
                onset = r.step();
                break;
            }
        }
        String startLayer = firstGrowingLayer(before, latest);
        List<String> evidence = List.of(
                "global gradient norm " + fmt(latest.globalGradNorm()) + " at step " + latest.step() + ", " + fmt(ratio) + "x the window's median " + fmt(median)
                        + (spread > 1 ? " (above " + fmt(growth) + "x the window's own batch-to-batch spread, its largest fall of " + fmt(spread)
                        + "x between readings)" : ""),
                "growth began near step " + onset + (startLayer == null ? "" : "; the first layer whose gradient grew " + fmt(growth) + "x is layer " + startLayer));
        return Optional.of(new Finding(id(), "Exploding gradients", Severity.WARNING, onset, latest.step(), startLayer == null ? List.of() : List.of(startLayer),
                evidence, "Gradients are growing geometrically through the layers (per-layer factors above 1 multiply in backprop);"
                        + " a few more steps like this overflow to NaN.", remedies(facts, median)));
    }

    /**
     * How far the gradient norm moves between readings by batch noise alone: the largest factor of the falls between
     * successive full readings (1 when none fell). Growth brings rises, not falls, so the falls measure the noise: about
     * 1.1-1.3 for batches of 32; for batches of one, whose single-sample gradients span orders of magnitude without any
     * growth (0.0001 to 4.8 in a control that learnt 0.03x its start loss: a fitted sample's gradient is tiny, a
     * misclassified one's is not), tens to hundreds. The largest, not the typical fall: that control's median fall was
     * 4.8x while single falls reached 700x, and misclassified samples read 85x and 180x the median at two readings
     * running. A rise must clear {@code growth} times this spread, so the rule is scale-free in the batch's noise.
     */
    static double batchSpread(List<StepReading> full) {
        double largest = 1;
        for (int i = 1; i < full.size(); i++) {
            double a = full.get(i - 1).globalGradNorm(), b = full.get(i).globalGradNorm();
            if (a > 0 && b > 0 && b < a && Double.isFinite(a)) largest = Math.max(largest, a / b);
        }
        return largest;
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
        double clip = Double.isFinite(typicalNorm) ? Math.max(0.1, 2 * typicalNorm) : 1.0;
        out.add(Remedies.clipGlobalNorm(clip, "gradient clipping caps the step length whatever the gradient does (note 003's first remedy)"));
        out.add(Remedies.learningRate(facts, facts.learningRate() / 3,
                "a smaller step keeps the iterates inside the region where the loss is well approximated"));
        Remedies.batchnormAfterWeighted(facts, "normalization keeps each layer's scale near 1, so the per-layer factors cannot compound").ifPresent(out::add);
        Remedies.initializationFitting(facts, "variance-preserving initialization starts every factor near 1").ifPresent(out::add);
        return out;
    }
}
