package dev.ravine.app.build;

import dev.ravine.app.config.ScheduleConfig;
import dev.ravine.optim.Schedule;
import dev.ravine.schedule.LrSchedule;
import dev.ravine.schedule.Stepped;
import java.util.function.Consumer;
import java.util.function.DoubleFunction;

/** The learning-rate schedule a {@link ScheduleConfig} describes, ticking per epoch or per step. */
public final class ScheduleBuilder {
    private ScheduleBuilder() {}

    /** The learning rate at each step for a base lr (torch's initial_lr); {@code made} sees each schedule made. */
    public static DoubleFunction<Schedule> scheduleFor(ScheduleConfig config, long stepsPerEpoch, Consumer<LrSchedule> made) {
        return lr -> {
            LrSchedule s = config.setting().build(lr);
            made.accept(s);
            return new Stepped(s, config.interval(), Math.max(1, stepsPerEpoch));
        };
    }
}
