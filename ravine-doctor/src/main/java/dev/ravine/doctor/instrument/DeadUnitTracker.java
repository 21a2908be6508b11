package dev.ravine.doctor.instrument;

import java.util.ArrayDeque;

/**
 * Which units of one ReLU layer stayed at zero for every sample over the last {@code window} readings: a unit that
 * is inactive on one batch may just be idle, one inactive over many batches receives no gradient and no longer
 * learns (a dead ReLU).
 */
final class DeadUnitTracker {
    private final int window;
    private final ArrayDeque<boolean[]> history = new ArrayDeque<>();

    DeadUnitTracker(int window) {
        this.window = window;
    }

    /** Records which units were active (positive for some sample) in this batch. */
    void record(boolean[] active) {
        if (!history.isEmpty() && history.peekFirst().length != active.length) history.clear();
        history.addLast(active);
        while (history.size() > window) history.removeFirst();
    }

    /** Fraction of units never active in the window; NaN until the window is full. */
    double deadFraction() {
        if (history.size() < window) return Double.NaN;
        int units = history.peekFirst().length;
        int dead = 0;
        for (int u = 0; u < units; u++) {
            boolean everActive = false;
            for (boolean[] a : history) {
                if (a[u]) {
                    everActive = true;
                    break;
                }
            }
            if (!everActive) dead++;
        }
        return units == 0 ? Double.NaN : dead / (double) units;
    }
}
