package dev.ravine.lab.net;

import java.util.ArrayList;
import java.util.List;

/**
 * Readings of two training runs paired at the same training loss. A quantity read along training (the surface's
 * sharpness, say) depends on how far the net has got, so two nets that train at different speeds are compared where
 * they have reached the same loss, not at the same step: for each loss level, each run's first reading at or below
 * it.
 */
public final class LossMatch {
    private LossMatch() {}

    /**
     * One reading during a run.
     *
     * @param step   the training step it was taken after
     * @param loss   the training loss there, the one the runs are matched by
     * @param values what was read (the same columns in every reading of both runs)
     */
    public record Reading(long step, double loss, double[] values) {}

    /** Both runs' first readings at or below {@code level}. */
    public record Pair(double level, Reading a, Reading b) {}

    /**
     * One pair per level that both runs reached, in the order of {@code levels}; a level either run never reached is
     * left out. A run that falls past several levels between two readings gives the same reading for each of them.
     */
    public static List<Pair> pairs(List<Reading> a, List<Reading> b, double[] levels) {
        List<Pair> out = new ArrayList<>();
        for (double level : levels) {
            Reading ra = first(a, level), rb = first(b, level);
            if (ra != null && rb != null) out.add(new Pair(level, ra, rb));
        }
        return out;
    }

    /** The mean of column {@code column} over the pairs' first (or second) run; NaN without pairs. */
    public static double mean(List<Pair> pairs, boolean firstRun, int column) {
        double sum = 0;
        for (Pair p : pairs) sum += (firstRun ? p.a() : p.b()).values()[column];
        return pairs.isEmpty() ? Double.NaN : sum / pairs.size();
    }

    /** The mean matched loss over the pairs' first (or second) run; NaN without pairs. */
    public static double meanLoss(List<Pair> pairs, boolean firstRun) {
        double sum = 0;
        for (Pair p : pairs) sum += (firstRun ? p.a() : p.b()).loss();
        return pairs.isEmpty() ? Double.NaN : sum / pairs.size();
    }

    private static Reading first(List<Reading> readings, double level) {
        for (Reading r : readings) if (r.loss() <= level) return r;
        return null;
    }
}
