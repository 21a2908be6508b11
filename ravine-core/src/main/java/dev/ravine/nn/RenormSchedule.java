package dev.ravine.nn;

/**
 * The clipping bounds of {@link BatchRenorm} as a function of the training step. Batch renormalization starts as plain
 * batch norm (r_max = 1, d_max = 0) while the running statistics are still poor, then relaxes the bounds linearly:
 * r_max from 1 at {@code start} to {@code rMax} at {@code rMaxEnd}, d_max from 0 at {@code start} to {@code dMax} at
 * {@code dMaxEnd}, and holds them after. {@link #paper()} is the schedule of Ioffe (2017)'s experiments: batch norm for
 * 5,000 steps, r_max reaching 3 at 40,000 steps and d_max reaching 5 at 25,000 steps.
 */
public record RenormSchedule(double rMax, double dMax, long start, long rMaxEnd, long dMaxEnd) {
    public RenormSchedule {
        if (!(rMax >= 1) || Double.isInfinite(rMax)) throw new IllegalArgumentException("batchrenorm r_max must be a finite number >= 1, got " + rMax);
        if (!(dMax >= 0) || Double.isInfinite(dMax)) throw new IllegalArgumentException("batchrenorm d_max must be a finite number >= 0, got " + dMax);
        if (start < 0 || rMaxEnd < start || dMaxEnd < start) {
            throw new IllegalArgumentException("batchrenorm ramp steps must satisfy 0 <= start <= r_max end and start <= d_max end, got start "
                    + start + ", r_max end " + rMaxEnd + ", d_max end " + dMaxEnd);
        }
    }

    public static RenormSchedule paper() {
        return new RenormSchedule(3, 5, 5_000, 40_000, 25_000);
    }

    /** Bounds fully relaxed from the first step. */
    public static RenormSchedule constant(double rMax, double dMax) {
        return new RenormSchedule(rMax, dMax, 0, 0, 0);
    }

    /** r_max at this training step (0-based count of training forwards before it). */
    public double rMaxAt(long step) {
        return 1 + (rMax - 1) * progress(step, rMaxEnd);
    }

    public double dMaxAt(long step) {
        return dMax * progress(step, dMaxEnd);
    }

    private double progress(long step, long end) {
        if (step >= end) return 1;
        if (step <= start) return 0;
        return (double) (step - start) / (end - start);
    }
}
