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
 * window's full readings of the largest layer ratio below {@code maxRatio}) while the loss has not moved from where
 * the run started: the median of the window's last third of losses is still above {@code 1 - minRelativeDrop} times
 * the run's first loss (for a classification, the larger of it and the chance loss, so one lucky first batch does not
 * set the bar). Medians over many steps, not two single mini-batch losses, so batch noise cannot break it; judged
 * against the run's own start, not the window's, so a converged run (tiny updates, the loss far below its start) never
 * qualifies. A loss that did move, but crawls, qualifies too: still above half its start ({@value #SLOW_DROP} of
 * it gone at most) and still falling steadily at the window's end (the median of the window's last third at least
 * {@value #STEADY} below that of its middle third), with the same tiny updates: a run that converged has stopped
 * falling, one that crawls has not. A crawl over whole epochs ({@link EpochCrawl}: the mean loss falls every epoch, not
 * slowing, still within minRelativeDrop of the larger of the start and the first epoch's mean) qualifies with updates
 * below the healthy {@value #HEALTHY_RATIO} rather than maxRatio: epoch means see through the batch noise that hides it
 * from the steps (Hinton's adaptive-gains SGD at lr 1e-5: 1.080, 1.077, 1.073, 1.066 over four epochs of three blobs,
 * its update/weight ratio rising to 4.4e-4 as the gains grew; NAdam at 1e-5 on a regression, 0.4655 to 0.4611 at
 * 0.0011 an epoch after a first batch of 0.30), while a deep tanh net creeping out of its plateau at 0.0006 an epoch
 * moves its weights 6.7e-3 a step. Defaults: maxRatio 1e-4, minRelativeDrop 0.1, minReadings 5.
 */
public record LrTooLowDetector(double maxRatio, double minRelativeDrop, int minReadings) implements Detector {
    /** Below this gradient/weight ratio the gradient, not the learning rate, is what is missing. */
    static final double MIN_GRADIENT_RATIO = 1e-6;
    /** The share of its start a crawling loss has lost at most (below half its start it is no longer high). */
    static final double SLOW_DROP = 0.5;
    /** The relative fall from the window's middle third to its last third that shows a loss still falling. */
    static final double STEADY = 0.02;

    /**
     * The share of successive steps whose loss went down at or above which a descent is steady: {@value #STEADY_SHARE}.
     * Mini-batch noise makes about half the steps go up whatever the rate, so only a quiet run (a full batch, or a large
     * one) can show it: there, a loss that falls at nearly every step and yet stays near its start is moving along the
     * gradient in steps far inside the region where the loss is linear, which is what a too small learning rate is, at
     * any scale of the weights (SGD at lr 0.002 on full batches: 1.628 -> 1.610 in 60 steps, 59 of 59 down, with an
     * update/weight ratio of 5.7e-4 that the ratio rule takes for healthy).
     */
    static final double STEADY_SHARE = 0.9;
    /** Losses the steady-descent rule needs. */
    static final int STEADY_STEPS = 20;

    static boolean steadyDescent(double[] loss) {
        return loss.length >= STEADY_STEPS && fallingShare(loss) >= STEADY_SHARE;
    }

    private static double fallingShare(double[] loss) {
        int down = 0;
        for (int i = 1; i < loss.length; i++) if (loss[i] < loss[i - 1]) down++;
        return loss.length < 2 ? 0 : (double) down / (loss.length - 1);
    }

    public static LrTooLowDetector defaults() {
        return new LrTooLowDetector(1e-4, 0.1, 5);
    }

    @Override
    public String id() {
        return "lr_too_low";
    }

    @Override
    public Optional<Finding> examine(List<StepReading> window, RunFacts facts) {
        List<StepReading> full = Readings.full(window);
        boolean startKnown = Double.isFinite(facts.firstLoss());
        if (full.size() < minReadings || startKnown && !facts.startedSane()) return Optional.empty();
        double medianRatio = Readings.median(full.stream().mapToDouble(r -> r.layers().stream().mapToDouble(LayerReading::updateRatio)
                .filter(Double::isFinite).max().orElse(Double.NaN)).toArray());
        double[] loss = window.stream().mapToDouble(StepReading::loss).filter(Double::isFinite).toArray();
        if (loss.length < 3) return Optional.empty();
        // Without the run's first loss (a replay of a window alone), the window's own first third stands in for it.
        double start = startKnown ? facts.startLoss() : Readings.median(java.util.Arrays.copyOfRange(loss, 0, Math.max(1, loss.length / 3)));
        double last = Readings.median(java.util.Arrays.copyOfRange(loss, loss.length - Math.max(1, loss.length / 3), loss.length));
        double drop = (start - last) / Math.max(Math.abs(start), 1e-12);
        // Flat, not rising (a rising loss is never cured by a larger step), or crawling down and still falling.
        int third = Math.max(1, loss.length / 3);
        double middle = Readings.median(java.util.Arrays.copyOfRange(loss, third, Math.max(third + 1, 2 * third)));
        double lateFall = middle > 0 ? (middle - last) / middle : Double.NaN;
        boolean flat = drop < minRelativeDrop && drop > -minRelativeDrop;
        boolean crawling = drop >= minRelativeDrop && drop < SLOW_DROP && lateFall >= STEADY;
        boolean steady = flat && steadyDescent(loss);
        // Batch noise hides a crawl from the steps, not from whole epochs; with updates below the healthy 1e-3 it is a
        // step too small (a deep net crawling out of a plateau moves its weights at 7e-3 a step).
        Optional<EpochCrawl> epochs = medianRatio < HEALTHY_RATIO ? EpochCrawl.of(window, start, minRelativeDrop) : Optional.empty();
        // A crawl over epochs is judged from its first epoch's mean, so it stands on its own (a lucky first batch can make
        // the step losses look risen).
        if (epochs.isEmpty() && (!(medianRatio < maxRatio || steady) || !(flat || crawling))) return Optional.empty();
        double first = start;
        // The gradient itself must be alive: tiny updates from zero gradients (dead units, vanishing gradients) are
        // those detectors' findings, and a larger learning rate would not help.
        double gradientRatio = Readings.median(full.stream().mapToDouble(r -> r.layers().stream()
                .mapToDouble(l -> l.gradNorm() / Math.max(l.weightNorm(), 1e-12)).filter(Double::isFinite).max().orElse(0)).toArray());
        if (!(gradientRatio > MIN_GRADIENT_RATIO)) return Optional.empty();
        List<String> evidence = new java.util.ArrayList<>(List.of(
                steady ? "the loss fell at " + fmt(100 * fallingShare(loss)) + "% of the window's " + (loss.length - 1) + " steps, and by "
                        + fmt(100 * drop) + "% of its start in all: every step goes down, none overshoots, so each could be longer"
                        + " (largest update/weight ratio per step: median " + fmt(medianRatio) + ")"
                        : "largest update/weight ratio per step: median " + fmt(medianRatio) + " (healthy: about 1e-3)",
                "loss " + fmt(first) + " at the start -> median " + fmt(last) + " over the last third of steps " + window.getFirst().step() + "-"
                        + window.getLast().step() + " (" + fmt(100 * drop) + "% lower" + (crawling ? ", still falling " + fmt(100 * lateFall)
                        + "% from the middle third: crawling, not converged" : "") + ")"));
        epochs.ifPresent(e -> evidence.add(e.evidence()));
        return finding(window, facts, medianRatio, evidence);
    }

    /** Updates below this share of the weights are small however steadily the loss falls (the classic healthy 1e-3). */
    static final double HEALTHY_RATIO = 1e-3;

    private Optional<Finding> finding(List<StepReading> window, RunFacts facts, double medianRatio, List<String> evidence) {
        double suggested = facts.learningRate() * Math.min(100, Math.max(3, 1e-3 / medianRatio / 10));
        return Optional.of(new Finding(id(), "Learning rate too low", Severity.WARNING, window.getFirst().step(), window.getLast().step(), List.of(), evidence,
                "Each step changes the weights by a negligible fraction, so the loss crawls: the learning rate is far below what this model tolerates.",
                java.util.stream.Stream.concat(java.util.stream.Stream.of(Remedies.learningRate(facts, suggested, "brings update/weight ratios toward 1e-3")),
                        Remedies.adam(facts, "per-parameter step sizes adapt to each weight's gradient scale").stream()).toList()));
    }
}
