package dev.ravine.schedule;

/**
 * torch's {@code base_momentum} and {@code max_momentum} for a schedule with {@code cycle_momentum}: the momentum (or
 * beta1) moves inversely to the lr, at {@code max} where the lr is lowest and at {@code base} where it peaks.
 */
public record MomentumRange(double base, double max) {
    public MomentumRange {
        LrSchedule.require(base >= 0 && max < 1 && base <= max,
                "base_momentum and max_momentum must satisfy 0 <= base_momentum <= max_momentum < 1, got " + base + " and " + max);
    }

    /** The range a schedule's options give: null unless cycle_momentum is true. */
    static MomentumRange of(ScheduleSetting s) {
        return s.bool("cycle_momentum") ? new MomentumRange(s.number("base_momentum"), s.number("max_momentum")) : null;
    }

    String describe() {
        return "momentum " + max + " to " + base;
    }
}
