package dev.ravine.schedule;

import dev.ravine.optim.MomentumSchedule;
import dev.ravine.optim.Schedule;

/**
 * A torch.optim.lr_scheduler schedule: the learning rate after {@code tick} calls of torch's {@code scheduler.step()}
 * (torch's {@code last_epoch}, 0 before the first call). As a {@link Schedule} it is stepped once per optimizer step:
 * optimizer step s (1-based) uses {@code lrAt(s - 1)}; {@link Stepped} maps steps to epochs instead. A schedule with
 * torch's {@code cycle_momentum} (one_cycle, cyclic) also gives the momentum at each tick, ticked the same way.
 */
public interface LrSchedule extends Schedule {
    double lrAt(long tick);

    @Override
    default double learningRate(long step) {
        return lrAt(step - 1);
    }

    /** Whether this schedule sets the optimizer's momentum too (torch's cycle_momentum). */
    default boolean cyclesMomentum() {
        return false;
    }

    /** The momentum (or beta1) after {@code tick} calls of torch's {@code scheduler.step()}; only when {@link #cyclesMomentum()}. */
    default double momentumAt(long tick) {
        throw new UnsupportedOperationException(describe() + " does not cycle momentum");
    }

    @Override
    default MomentumSchedule momentum() {
        return cyclesMomentum() ? step -> momentumAt(step - 1) : null;
    }

    static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }
}
