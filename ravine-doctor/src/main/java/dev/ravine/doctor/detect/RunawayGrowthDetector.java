package dev.ravine.doctor.detect;

import static dev.ravine.doctor.detect.Readings.fmt;

import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.Remedies;
import dev.ravine.doctor.finding.RunFacts;
import dev.ravine.doctor.finding.Severity;
import dev.ravine.doctor.instrument.LayerReading;
import dev.ravine.doctor.instrument.StepReading;
import java.util.List;
import java.util.Optional;

/**
 * The warning before a NaN: the loss, or a gradient norm (global or of one layer), growing {@code perStep}-fold or more
 * per step over a step or two. Nothing healthy multiplies tenfold per step, and at that rate float32 overflows within
 * a few dozen steps; the rule is a rate, so it holds at any scale, with two guards taken from the run's own history:
 * the loss must have climbed above the run's start ({@link RunFacts#startLoss}: a converged run's loss may jump from
 * 1e-4 to 1e-3 on one batch), and a gradient norm above the one the run began with (its first reading). Examined on
 * every step (the loss is read on every step), over the whole window, so the warning stays open while the growth is
 * in view; it names a symptom, not a cause, so the ranking puts the findings that explain it first. A loss jump counts
 * only when the next {@value #AFTER} steps' losses stay at least {@code perStep} x the level before it (or turn
 * non-finite), the level being the highest loss of the few steps before it (the range the run's own batches span, not
 * one easy batch): growth that feeds itself persists, a bad mini-batch does not. And the jump's peak (with those steps)
 * must be sqrt(perStep) x above the range of the {@value #RANGE} losses before it: what an earlier batch already
 * reached, or nearly, is the batches' spread, not growth.
 */
public record RunawayGrowthDetector(double perStep) implements Detector {
    public static final String ID = "runaway_growth";

    public static RunawayGrowthDetector defaults() {
        return new RunawayGrowthDetector(10);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public boolean examinesEveryStep() {
        return true;
    }

    @Override
    public Optional<Finding> examine(List<StepReading> window, RunFacts facts) {
        Optional<Finding> loss = lossGrowth(window, facts);
        return loss.isPresent() ? loss : gradientGrowth(window, facts);
    }

    /** The first step in the window whose loss is perStep-fold its predecessor's (or perStep^2-fold the one two back). */
    private Optional<Finding> lossGrowth(List<StepReading> window, RunFacts facts) {
        double start = facts.startLoss();
        if (!Double.isFinite(start)) return Optional.empty();
        for (int i = 1; i < window.size(); i++) {
            StepReading r = window.get(i);
            if (!Double.isFinite(r.loss()) || !(r.loss() > start)) continue;
            // growth that feeds itself leaves the range the run's own batches spanned over the RANGE steps before it, by far
            // (at perStep a step, the jump and the AFTER steps after it span perStep^3): in batches of one a converged run's
            // misclassified sample (1.16 after 0.005) and the perturbed samples after it stay below the 2.8 an earlier one
            // reached, and another peaked at 2.96 over an earlier 2.75. A jump whose range has slid partly out of the window
            // was judged with all of it when it was the newest.
            boolean newest = i + AFTER >= window.size() - 1;
            if (i < RANGE && window.getFirst().step() > 1 && !newest) continue;
            if (!(peakFrom(window, i) > Math.sqrt(perStep) * highestBefore(window, i))) continue;
            for (int back = 1; back <= 2 && back <= i; back++) {
                StepReading before = window.get(i - back);
                if (r.step() - before.step() != back || !(before.loss() > facts.negligibleLoss())) continue;
                // the range before the jump needs a step before it, unless the window begins where the run did: a slid
                // window's first losses have lost theirs (step 38's easy batch of four read as the range before 39)
                if (i - back < 1 && window.getFirst().step() > 1) continue;
                double rate = Math.pow(r.loss() / before.loss(), 1.0 / back);
                double level = level(window, i - back);
                if (rate >= perStep && sustained(window, i, level * perStep)) {
                    String evidence = "loss " + fmt(before.loss()) + " at step " + before.step() + " -> " + fmt(r.loss()) + " at step " + r.step()
                            + ": " + fmt(rate) + "x per step" + (back == 2 ? " over two steps" : "") + ", above the run's start " + fmt(start)
                            + "; the next " + AFTER + " steps stay above " + fmt(perStep) + "x the highest loss of the " + LEVEL + " steps before the jump, " + fmt(level);
                    return Optional.of(finding("Loss growing " + fmt(rate) + "x per step", before.step() + 1, window, List.of(), evidence, facts));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Whether the loss stays grown at the step after window[i] (at least {@code floor}, or not finite): growth that
     * feeds itself keeps going, where one bad mini-batch is followed by ordinary ones (a batch of 2 went from 0.12 to
     * 1.40 and back, and 1.40 was just above the run's start 1.37, itself one batch of 2). Waits for that step.
     */
    private static boolean sustained(List<StepReading> window, int i, double floor) {
        for (int k = 1; k <= AFTER; k++) {
            if (i + k >= window.size() || window.get(i + k).step() != window.get(i).step() + k) return false;
            double next = window.get(i + k).loss();
            if (!Double.isFinite(next)) return true;
            if (next < floor) return false;
        }
        return true;
    }

    /**
     * Steps after a jump whose losses must all stay grown. Two, not one: in batches of one sample a converged run goes
     * from 0.002 on one sample to 1.7 on the next misclassified one and stays above 0.02 for a step by chance (the
     * per-sample losses span four orders of magnitude); a loss that feeds itself stays up on every later batch.
     */
    static final int AFTER = 2;

    /**
     * Steps before a jump whose losses are the range it must leave: about four misclassified samples of a converged run in
     * batches of one (one sample in 25 is misclassified at 96% accuracy), so a misclassified one is inside it.
     */
    static final int RANGE = 100;

    /** The highest loss of window entries i to i + AFTER (infinity when one is not finite: the growth's end). */
    private static double peakFrom(List<StepReading> window, int i) {
        double peak = Double.NEGATIVE_INFINITY;
        for (int k = i; k <= Math.min(window.size() - 1, i + AFTER); k++) {
            double l = window.get(k).loss();
            peak = Double.isFinite(l) ? Math.max(peak, l) : Double.POSITIVE_INFINITY;
        }
        return peak;
    }

    /** The highest finite loss of the {@value #RANGE} window entries before index {@code i} (-infinity when none). */
    private static double highestBefore(List<StepReading> window, int i) {
        double highest = Double.NEGATIVE_INFINITY;
        for (int k = Math.max(0, i - RANGE); k < i; k++) if (Double.isFinite(window.get(k).loss())) highest = Math.max(highest, window.get(k).loss());
        return highest;
    }

    /** Steps whose highest loss is the level a jump must stay 10x above. */
    static final int LEVEL = 5;

    /**
     * The range the run's batches spanned before a jump at the step after {@code j}: the highest finite loss of the
     * {@value #LEVEL} consecutive steps ending at {@code j} (fewer at the window's start). Growth that feeds itself
     * leaves that range, from any loss, 10x per step; batch noise returns into it: after one easy batch of four (0.048
     * among 0.45-0.69 on spirals) the next batches are 10x the easy one, and in batches of one sample a converged run's
     * next samples after a misclassified one (0.002 -> 1.68 -> 0.17 -> 0.04) are 10x and 20x the sample before it but
     * not 10x the 0.016 its samples reached just before.
     */
    private static double level(List<StepReading> window, int j) {
        double[] v = java.util.stream.IntStream.rangeClosed(Math.max(0, j - LEVEL + 1), j)
                .filter(k -> window.get(k).step() - window.get(j).step() == k - j).mapToDouble(k -> window.get(k).loss())
                .filter(Double::isFinite).toArray();
        return java.util.Arrays.stream(v).max().orElse(window.get(j).loss());
    }

    /** Between consecutive full readings: the global norm, then each layer's, at a per-step rate of perStep or more. */
    private Optional<Finding> gradientGrowth(List<StepReading> window, RunFacts facts) {
        List<StepReading> full = Readings.full(window);
        if (full.size() < 2) return Optional.empty();
        StepReading first = full.getFirst();
        for (int i = 1; i < full.size(); i++) {
            StepReading a = full.get(i - 1), b = full.get(i);
            long steps = b.step() - a.step();
            if (steps <= 0) continue;
            double rate = rate(a.globalGradNorm(), b.globalGradNorm(), first.globalGradNorm(), steps);
            if (rate >= perStep) {
                return Optional.of(finding("Gradient norm growing " + fmt(rate) + "x per step", a.step() + 1, window, List.of(),
                        "global gradient norm " + fmt(a.globalGradNorm()) + " at step " + a.step() + " -> " + fmt(b.globalGradNorm()) + " at step "
                                + b.step() + ": " + fmt(rate) + "x per step (the run began at " + fmt(first.globalGradNorm()) + ")", facts));
            }
            for (LayerReading l : b.layers()) {
                double before = Readings.layer(a, l.layer()).map(LayerReading::gradNorm).orElse(Double.NaN);
                double initial = Readings.layer(first, l.layer()).map(LayerReading::gradNorm).orElse(Double.NaN);
                double layerRate = rate(before, l.gradNorm(), initial, steps);
                if (layerRate >= perStep) {
                    return Optional.of(finding("Gradient norm of layer " + l.layer() + " growing " + fmt(layerRate) + "x per step", a.step() + 1, window,
                            List.of(l.layer()), "layer " + l.layer() + " gradient norm " + fmt(before) + " at step " + a.step() + " -> " + fmt(l.gradNorm())
                                    + " at step " + b.step() + ": " + fmt(layerRate) + "x per step (the run began at " + fmt(initial) + ")", facts));
                }
            }
        }
        return Optional.empty();
    }

    /** The per-step growth factor from {@code from} to {@code to} over {@code steps}; 0 unless {@code to} is above the run's first value. */
    private static double rate(double from, double to, double initial, long steps) {
        if (!(from > 0) || !Double.isFinite(to) || !(to > initial)) return 0;
        return Math.pow(to / from, 1.0 / steps);
    }

    private Finding finding(String title, long firstStep, List<StepReading> window, List<String> layers, String evidence, RunFacts facts) {
        return new Finding(ID, title, Severity.WARNING, firstStep, window.getLast().step(), layers, List.of(evidence),
                "Something is multiplying itself from step to step: each update makes the next gradient larger (a step too long for the"
                        + " curvature, or per-layer factors above 1). At this rate float32 overflows within a few steps, and the run turns NaN.",
                List.of(Remedies.learningRate(facts, facts.learningRate() / 3, "a shorter step stops the overshoot that feeds the growth"),
                        Remedies.clipGlobalNorm(1.0, "clipping caps every step whatever the gradient does")));
    }
}
