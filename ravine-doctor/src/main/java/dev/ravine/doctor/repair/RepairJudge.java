package dev.ravine.doctor.repair;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a repair healed the run, from the run's own batch losses: the mean over the last {@value #RECENT} steps before
 * the repair against the mean over the last half of the steps after it, once they have been taken. Means, not single
 * batches, so that batch noise does not decide; any non-finite loss makes its mean infinite (a mean before the repair
 * that is infinite is beaten by any finite one after it). Counted in steps, never in time. Not thread-safe: the
 * training thread owns it.
 */
final class RepairJudge {
    /**
     * How much higher the last half of the window may be than its first half and still be no climb: batch noise moves a
     * mean of 3-10 batches by less (a flat loss on noise, in RepairJudgingTest, by about 10%), a divergence by more.
     */
    static final double RISE = 1.5;

    /** Batch losses before a repair that its "before" is the mean of. */
    static final int RECENT = 20;

    /** A repair's verdict: its index among the policy's repairs, the loss after it, and whether it healed. */
    record Verdict(int index, double lossAfter, boolean healed) {}

    private final ArrayDeque<Double> recent = new ArrayDeque<>();
    private final List<Double> after = new ArrayList<>();
    private int index = -1;
    private double before = Double.NaN;

    /** A step's batch loss (NaN for a step whose loss was not finite). */
    void observe(double loss) {
        recent.addLast(loss);
        while (recent.size() > RECENT) recent.removeFirst();
        if (index >= 0) after.add(loss);
    }

    /** The mean of the recent losses on the path the run is on; NaN before any. */
    double recentMean() {
        return mean(new ArrayList<>(recent));
    }

    /** Judging the repair at {@code index}, whose loss before was {@code lossBefore}: the path starts anew. */
    void start(int index, double lossBefore) {
        this.index = index;
        this.before = lossBefore;
        after.clear();
        recent.clear();
    }

    boolean judging() {
        return index >= 0;
    }

    /** The repair has had {@code window} steps. */
    boolean due(long window) {
        return judging() && after.size() >= window;
    }

    /**
     * The verdict now (after the window, or sooner when trouble could not wait): healed when the mean over the last half
     * of the steps since the repair is finite, at most {@code ratio} of the mean before it, and not climbing again: at
     * most {@value #RISE}x the first half's mean (a learning rate still too high after its repair first falls from
     * where the rollback put it, then rises, and its window's end was still below the diverged loss before). Ends the
     * judging.
     */
    Verdict verdict(double ratio) {
        if (!judging()) throw new IllegalStateException("no repair is being judged");
        List<Double> head = after.subList(0, after.size() / 2);
        List<Double> tail = after.subList(after.size() / 2, after.size());
        double lossAfter = tail.isEmpty() ? Double.POSITIVE_INFINITY : mean(tail);
        double lossBefore = Double.isNaN(before) ? Double.POSITIVE_INFINITY : before;
        boolean falling = head.isEmpty() || !(lossAfter > RISE * mean(head));
        boolean healed = Double.isFinite(lossAfter) && falling && (lossBefore == Double.POSITIVE_INFINITY || lossAfter <= ratio * lossBefore);
        Verdict v = new Verdict(index, lossAfter, healed);
        index = -1;
        after.clear();
        return v;
    }

    private static double mean(List<Double> losses) {
        if (losses.isEmpty()) return Double.NaN;
        double sum = 0;
        for (double l : losses) {
            if (!Double.isFinite(l)) return Double.POSITIVE_INFINITY;
            sum += l;
        }
        return sum / losses.size();
    }
}
