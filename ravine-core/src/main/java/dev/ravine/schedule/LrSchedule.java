package dev.ravine.schedule;

import dev.ravine.optim.Schedule;

/**
 * A torch.optim.lr_scheduler schedule: the learning rate after {@code tick} calls of torch's {@code scheduler.step()}
 * (torch's {@code last_epoch}, 0 before the first call). As a {@link Schedule} it is stepped once per optimizer step:
 * optimizer step s (1-based) uses {@code lrAt(s - 1)}; {@link Stepped} maps steps to epochs instead.
 */
public interface LrSchedule extends Schedule {
    double lrAt(long tick);

    @Override
    default double learningRate(long step) {
        return lrAt(step - 1);
    }

    static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }
}
