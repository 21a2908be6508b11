package dev.ravine.doctor.instrument;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Which units of one ReLU layer were inactive on every sample of the newest readings' batches, taken newest first
 * until they hold at least {@code minSamples} samples: "inactive on every sample" says something about a unit only
 * over enough samples. A batch that large is one reading, as it always was; a batch of one sample is not, since a
 * live ReLU is off on about half of its inputs (a batch-of-one control read 62% of its 16 units "dead" on each single
 * sample while it learnt 0.03x its start loss). NaN until the readings hold that many samples.
 */
final class DeadOverSamples {
    private final int minSamples;
    private final ArrayDeque<boolean[]> active = new ArrayDeque<>(); // newest first
    private final ArrayDeque<Integer> samples = new ArrayDeque<>();
    private int total;

    DeadOverSamples(int minSamples) {
        this.minSamples = minSamples;
    }

    /** Records which units were active (positive for some sample) on a batch of {@code batch} samples. */
    void record(boolean[] unitsActive, int batch) {
        if (!active.isEmpty() && active.peekFirst().length != unitsActive.length) {
            active.clear();
            samples.clear();
            total = 0;
        }
        active.addFirst(unitsActive);
        samples.addFirst(batch);
        total += batch;
        // the oldest reading goes once the newer ones hold enough samples without it
        while (samples.size() > 1 && total - samples.peekLast() >= minSamples) {
            total -= samples.removeLast();
            active.removeLast();
        }
    }

    /** Records a batch, then reads the fraction (see {@link #deadFraction()}). */
    double recordAndRead(boolean[] unitsActive, int batch) {
        record(unitsActive, batch);
        return deadFraction();
    }

    /** Fraction of units inactive on every sample of the kept readings; NaN while they hold fewer than minSamples. */
    double deadFraction() {
        if (total < minSamples || active.isEmpty()) return Double.NaN;
        int units = active.peekFirst().length;
        if (units == 0) return Double.NaN;
        int dead = 0;
        for (int u = 0; u < units; u++) {
            boolean everActive = false;
            for (Iterator<boolean[]> it = active.iterator(); it.hasNext() && !everActive; ) everActive = it.next()[u];
            if (!everActive) dead++;
        }
        return dead / (double) units;
    }
}
