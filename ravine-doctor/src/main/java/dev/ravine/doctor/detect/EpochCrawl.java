package dev.ravine.doctor.detect;

import static dev.ravine.doctor.detect.Readings.fmt;

import dev.ravine.doctor.instrument.StepReading;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A loss that crawls down epoch by epoch: the mean step loss of each whole epoch in the window is below the one before,
 * the fall is not slowing (the last epoch's fall at least {@value #STEADY} of the first one's), and after
 * {@value #MIN_EPOCHS} epochs or more it is still within {@code minDrop} of where it started. An epoch's mean is over
 * all its batches, so mini-batch noise, which makes about half the single steps go up whatever the rate and hides a
 * crawl from the per-step rules, averages out: a loss that goes down every epoch has steps that never overshoot, and one
 * still near its start after several epochs takes steps far inside the region where the loss is linear. A converging
 * run slows down; a model at its capacity floor or an optimizer stuck in a plateau does not fall every epoch. Only the
 * epochs the window holds whole count: the one it starts inside (unless it starts at the run's first step) and the one
 * in progress are left out.
 */
public record EpochCrawl(List<Double> means, long firstEpochStep, double drop) {
    /** Whole epochs needed: three falls in a row. */
    static final int MIN_EPOCHS = 4;
    /** A fall at least this share of the first one is not slowing (TrainingLossDiagnosis' steady fall). */
    static final double STEADY = 0.5;
    /** A relative fall per epoch below float32's summation noise is no fall. */
    static final double RESOLUTION = 1e-6;

    /**
     * The crawl in {@code window}, if its whole epochs show one; {@code start} is the run's start loss, and the bar is the
     * larger of it and the first epoch's mean (a lucky first batch sets no bar).
     */
    static Optional<EpochCrawl> of(List<StepReading> window, double start, double minDrop) {
        List<Double> means = new ArrayList<>();
        List<Long> firstSteps = new ArrayList<>();
        int i = 0;
        while (i < window.size()) {
            int epoch = window.get(i).epoch();
            int j = i;
            double sum = 0;
            int n = 0;
            while (j < window.size() && window.get(j).epoch() == epoch) {
                if (Double.isFinite(window.get(j).loss())) {
                    sum += window.get(j).loss();
                    n++;
                }
                j++;
            }
            boolean whole = j < window.size() && (i > 0 || window.get(i).step() <= 1);
            if (whole && n > 0) {
                means.add(sum / n);
                firstSteps.add(window.get(i).step());
            }
            i = j;
        }
        if (means.size() < MIN_EPOCHS) return Optional.empty();
        for (int k = 1; k < means.size(); k++) {
            if (!(means.get(k - 1) - means.get(k) > RESOLUTION * Math.abs(means.get(k - 1)))) return Optional.empty();
        }
        int n = means.size();
        if (means.get(n - 2) - means.get(n - 1) < STEADY * (means.get(0) - means.get(1))) return Optional.empty();
        double bar = Math.max(start, means.getFirst());
        double drop = (bar - means.getLast()) / bar;
        if (!(bar > 0) || !(drop < minDrop)) return Optional.empty();
        return Optional.of(new EpochCrawl(List.copyOf(means), firstSteps.getFirst(), drop));
    }

    String evidence() {
        return "mean step loss fell in each of " + (means.size() - 1) + " whole epochs, " + fmt(means.getFirst()) + " -> " + fmt(means.getLast())
                + " (from step " + firstEpochStep + "), not slowing, and is still " + fmt(100 * drop) + "% below its start: every epoch goes"
                + " downhill and none overshoots, so each step could be longer";
    }
}
