package dev.ravine.doctor.provenance;

import java.util.List;

/**
 * Where a run's climb to NaN began, read from its per-step losses: the first step of the final climb, right after the
 * last step whose loss was at or within {@value #NEAR_LOWEST}x of its lowest so far (from a healthy stretch the loss
 * falls or wanders near its best; once it leaves for good, that is the onset), and the first step of that climb that
 * grew {@value #TENFOLD}x or more over the step before.
 *
 * @param onset       the first step of the climb (0 when there is no climb: the loss was near its best until the end)
 * @param from        the loss at the step before the onset
 * @param tenfoldStep the first step of the climb at least tenfold its predecessor, or 0
 * @param peakStep    the last step with a finite loss, and {@code peak} its loss
 */
public record GrowthOnset(long onset, double from, long tenfoldStep, double tenfoldFrom, double tenfoldTo, long peakStep, double peak) {
    public static final double NEAR_LOWEST = 1.2;
    public static final double TENFOLD = 10;

    /** A step's loss. */
    public record StepLoss(long step, double loss) {}

    /** From the losses in step order; the non-finite ones at the end (the failure) are left out. */
    public static GrowthOnset of(List<StepLoss> losses) {
        int last = losses.size() - 1;
        while (last >= 0 && !Double.isFinite(losses.get(last).loss())) last--;
        if (last < 1) return new GrowthOnset(0, Double.NaN, 0, Double.NaN, Double.NaN, last < 0 ? 0 : losses.get(0).step(), last < 0 ? Double.NaN : losses.get(0).loss());
        int lastLow = 0;
        double lowest = Double.POSITIVE_INFINITY;
        for (int i = 0; i <= last; i++) {
            double l = losses.get(i).loss();
            if (!Double.isFinite(l)) continue;
            lowest = Math.min(lowest, l);
            if (l <= NEAR_LOWEST * lowest) lastLow = i;
        }
        StepLoss peak = losses.get(last);
        if (lastLow == last) return new GrowthOnset(0, Double.NaN, 0, Double.NaN, Double.NaN, peak.step(), peak.loss());
        long tenfold = 0;
        double tFrom = Double.NaN, tTo = Double.NaN;
        for (int i = lastLow + 1; i <= last; i++) {
            double before = losses.get(i - 1).loss(), now = losses.get(i).loss();
            if (before > 0 && now >= TENFOLD * before) {
                tenfold = losses.get(i).step();
                tFrom = before;
                tTo = now;
                break;
            }
        }
        return new GrowthOnset(losses.get(lastLow + 1).step(), losses.get(lastLow).loss(), tenfold, tFrom, tTo, peak.step(), peak.loss());
    }

    public boolean found() {
        return onset > 0;
    }
}
