package dev.ravine.app.build;

import dev.ravine.app.config.OptimizerConfig;
import dev.ravine.app.config.RunConfig;
import dev.ravine.app.config.ScheduleConfig;
import dev.ravine.app.config.ToolboxConfig;
import dev.ravine.optim.Optimizer;
import dev.ravine.optim.OptimizerAssembly;
import dev.ravine.schedule.LrSchedule;
import dev.ravine.train.PlateauListener;
import dev.ravine.schedule.ReduceOnPlateau;
import dev.ravine.tensor.Tensor;
import java.util.Map;

/**
 * A run's optimizer from its config, assembled once: the optimizer section's named optimizer, the toolbox's clipping,
 * parameter groups and post-update constraints, and the schedule on every group's learning rate
 * ({@link OptimizerAssembly}); plus the listener a reduce_on_plateau schedule needs.
 */
public final class RunOptimizer {
    private RunOptimizer() {}

    /** The optimizer (and plateau listener, or null) of a run config over {@code params}. */
    public static ScheduledOptimizer build(RunConfig config, Map<String, Tensor> params, long stepsPerEpoch) {
        return build(config.optimizer(), config.toolbox(), config.schedule(), params, stepsPerEpoch);
    }

    /** As above from the sections themselves; a null schedule is a constant learning rate. */
    public static ScheduledOptimizer build(OptimizerConfig optimizer, ToolboxConfig toolbox, ScheduleConfig schedule, Map<String, Tensor> params,
                                           long stepsPerEpoch) {
        LrSchedule[] made = new LrSchedule[1];
        OptimizerAssembly assembly = assembly(optimizer, toolbox);
        if (schedule != null) assembly = assembly.withSchedule(ScheduleBuilder.scheduleFor(schedule, stepsPerEpoch, s -> made[0] = s));
        Optimizer built = assembly.build(params);
        PlateauListener listener = made[0] instanceof ReduceOnPlateau p ? new PlateauListener(p, schedule.setting().string("monitor")) : null;
        return new ScheduledOptimizer(built, listener);
    }

    /** The optimizer with the toolbox's parts, before a schedule: a value the doctor can read without parameters. */
    public static OptimizerAssembly assembly(OptimizerConfig optimizer, ToolboxConfig toolbox) {
        return ToolboxParts.applyTo(toolbox, assembly(optimizer));
    }

    /** The named optimizer alone (no clip, groups, schedule or constraints). */
    public static OptimizerAssembly assembly(OptimizerConfig optimizer) {
        return OptimizerAssembly.of(optimizer.name(), optimizer.options());
    }

    /** The named optimizer alone over {@code params}. */
    public static Optimizer optimizer(OptimizerConfig optimizer, Map<String, Tensor> params) {
        return assembly(optimizer).build(params);
    }

    /** The optimizer with the toolbox's parts and no schedule over {@code params}. */
    public static Optimizer optimizer(OptimizerConfig optimizer, ToolboxConfig toolbox, Map<String, Tensor> params) {
        return build(optimizer, toolbox, null, params, 1).optimizer();
    }

    /** The named optimizer with {@code schedule} and no toolbox parts. */
    public static ScheduledOptimizer scheduled(OptimizerConfig optimizer, ScheduleConfig schedule, Map<String, Tensor> params, long stepsPerEpoch) {
        return build(optimizer, ToolboxConfig.NONE, schedule, params, stepsPerEpoch);
    }
}
