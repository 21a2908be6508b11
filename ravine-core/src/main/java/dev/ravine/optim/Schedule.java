package dev.ravine.optim;

/** The learning rate as a function of the step (1-based): optax's view of a schedule. */
public interface Schedule {
    double learningRate(long step);

    String describe();

    /**
     * The state of a schedule that is not a pure function of the step (dev.ravine.schedule.ReduceOnPlateau), as live
     * arrays that a checkpoint saves and restores in place; empty for pure schedules.
     */
    default java.util.Map<String, long[]> counters() {
        return java.util.Map.of();
    }

    /**
     * The momentum this schedule sets at each step (torch's cycle_momentum), or null when it leaves the optimizer's
     * momentum alone, as most schedules do.
     */
    default MomentumSchedule momentum() {
        return null;
    }

    static Schedule constant(double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) throw new IllegalArgumentException("learning rate must be a finite number >= 0, got " + lr);
        return new Schedule() {
            @Override
            public double learningRate(long step) {
                return lr;
            }

            @Override
            public String describe() {
                return Double.toString(lr);
            }
        };
    }
}
