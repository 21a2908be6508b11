package dev.ravine.schedule;

import dev.ravine.optim.MomentumSchedule;
import dev.ravine.optim.Schedule;
import java.util.Map;

/**
 * An {@link LrSchedule} driven per step or per epoch. Per step, optimizer step s (1-based) uses {@code lrAt(s - 1)}.
 * Per epoch, it uses {@code lrAt((s - 1) / stepsPerEpoch)} (integer division): every step of epoch e (0-based) uses
 * the lr torch has after e calls of {@code scheduler.step()} made at the end of each epoch. stepsPerEpoch is the
 * number of optimizer steps in one epoch (batches, the last partial one included unless dropped). A schedule's momentum
 * (cycle_momentum) ticks the same way.
 */
public record Stepped(LrSchedule schedule, Interval interval, long stepsPerEpoch) implements Schedule {
    public Stepped {
        if (interval == Interval.EPOCH && stepsPerEpoch < 1) throw new IllegalArgumentException("steps per epoch must be >= 1, got " + stepsPerEpoch);
    }

    public long tick(long step) {
        return interval == Interval.STEP ? step - 1 : (step - 1) / stepsPerEpoch;
    }

    @Override
    public double learningRate(long step) {
        return schedule.lrAt(tick(step));
    }

    @Override
    public MomentumSchedule momentum() {
        return schedule.cyclesMomentum() ? step -> schedule.momentumAt(tick(step)) : null;
    }

    @Override
    public Map<String, long[]> counters() {
        return schedule.counters();
    }

    @Override
    public String describe() {
        return schedule.describe() + " per " + interval.id();
    }
}
