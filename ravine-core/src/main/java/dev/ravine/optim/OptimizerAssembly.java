package dev.ravine.optim;

import dev.ravine.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.DoubleFunction;

/**
 * How one optimizer is put together, as a value: the named optimizer and its options, the links every parameter's
 * gradient passes first (clipping), parameter groups with their own lr or weight decay, the learning-rate schedule,
 * and the post-update constraints. {@link #build} turns it into the one {@link Optimizer}, each part made exactly
 * once:
 * <pre>
 * no groups:   chain(shared..., the named chain's links...)
 * groups:      chain(shared..., masked(group 1 chain), ..., masked(default chain))       (see {@link ParamGroups})
 * </pre>
 * Each chain's learning-rate link gets {@code schedule} applied to that chain's lr (torch's initial_lr); without a
 * schedule the lr is constant. The state names this layout gives ("1.exp_avg", "2.0.exp_avg") are those checkpoints
 * have always used.
 *
 * @param groups   parameter groups, each overriding some options (lr, weight_decay) of the named optimizer
 * @param schedule the learning rate at each step for a base lr, or null for a constant lr
 */
public record OptimizerAssembly(String name, Map<String, Object> options, List<GradientTransform> shared, List<Group> groups,
                                DoubleFunction<Schedule> schedule, List<ParamConstraint> constraints) {
    /** A parameter group: a label for logs, which parameters (name, shape), and the options it overrides. */
    public record Group(String label, BiPredicate<String, int[]> selects, Map<String, Object> overrides) {
        public Group {
            overrides = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
        }
    }

    public OptimizerAssembly {
        options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
        shared = List.copyOf(shared);
        groups = List.copyOf(groups);
        constraints = List.copyOf(constraints);
        OptimizerSchema s = Optimizers.schema(name);
        s.validate(options);
        for (Group g : groups) s.validate(merged(options, g.overrides()));
        if (s.closureMethod() && (!shared.isEmpty() || !groups.isEmpty() || schedule != null)) {
            throw new IllegalArgumentException(name + " chooses its step lengths itself and evaluates the loss several times per step:"
                    + " it takes no clipping, parameter groups or schedule");
        }
    }

    /** The named optimizer alone: no clipping, groups, schedule or constraints. */
    public static OptimizerAssembly of(String name, Map<String, ?> options) {
        return new OptimizerAssembly(name, new LinkedHashMap<>(options), List.of(), List.of(), null, List.of());
    }

    public OptimizerAssembly withShared(List<GradientTransform> links) {
        return new OptimizerAssembly(name, options, links, groups, schedule, constraints);
    }

    public OptimizerAssembly withGroups(List<Group> g) {
        return new OptimizerAssembly(name, options, shared, g, schedule, constraints);
    }

    public OptimizerAssembly withSchedule(DoubleFunction<Schedule> s) {
        return new OptimizerAssembly(name, options, shared, groups, s, constraints);
    }

    public OptimizerAssembly withConstraints(List<ParamConstraint> c) {
        return new OptimizerAssembly(name, options, shared, groups, schedule, c);
    }

    public OptimizerSchema schema() {
        return Optimizers.schema(name);
    }

    /**
     * The named optimizer's own chain (the default group's options, a constant lr), a value needing no parameters:
     * what the doctor reads to know how the run's steps are scaled. Null for a closure method.
     */
    public GradientTransform core() {
        if (schema().closureMethod()) return null;
        OptimizerOptions o = schema().validate(options);
        return schema().transform(o, Schedule.constant(o.lr())); // not the schedule: making one may have effects (a plateau listener's)
    }

    /** The optimizer over {@code params}. */
    public Optimizer build(Map<String, Tensor> params) {
        OptimizerSchema s = schema();
        Optimizer built;
        if (s.closureMethod()) {
            built = Optimizer.of(params, s.method(s.validate(options), List.copyOf(params.values())));
        } else if (groups.isEmpty()) {
            List<GradientTransform> links = new ArrayList<>(shared);
            links.addAll(((Chain) chainFor(options)).links());
            built = Optimizer.of(params, new Chain(links));
        } else {
            List<ParamGroups.Group> made = new ArrayList<>();
            for (Group g : groups) made.add(new ParamGroups.Group(g.label(), g.selects(), chainFor(merged(options, g.overrides()))));
            built = Optimizer.of(params, ParamGroups.transform(params, shared, made, chainFor(options)));
        }
        for (ParamConstraint c : constraints) built.addConstraint(c);
        return built;
    }

    private GradientTransform chainFor(Map<String, Object> given) {
        OptimizerOptions o = schema().validate(given);
        Schedule lr = schedule == null ? Schedule.constant(o.lr()) : schedule.apply(o.lr());
        return schema().transform(o, lr);
    }

    private static Map<String, Object> merged(Map<String, Object> base, Map<String, Object> overrides) {
        Map<String, Object> m = new LinkedHashMap<>(base);
        m.putAll(overrides);
        return m;
    }
}
