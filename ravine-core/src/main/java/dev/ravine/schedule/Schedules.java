package dev.ravine.schedule;

import dev.ravine.optim.Schedule;
import dev.ravine.schedule.ScheduleSpec.Option;
import dev.ravine.schedule.ScheduleSpec.Type;
import java.util.ArrayList;
import java.util.List;

/** The registry of schedules by name (torch.optim.lr_scheduler's, plus inverse_sqrt), built on a base lr; {@link dev.ravine.optim.OptimizerAssembly} puts one into an optimizer. */
public final class Schedules {
    private Schedules() {}

    private static Option num(String n, Double d) {
        return new Option(n, Type.NUMBER, d, List.of());
    }

    private static Option integer(String n, Long d) {
        return new Option(n, Type.INTEGER, d, List.of());
    }

    private static Option choice(String n, String d, String... valid) {
        return new Option(n, Type.CHOICE, d, List.of(valid));
    }

    /** A BOOL option that is off unless set. */
    private static Option bool(String n) {
        return new Option(n, Type.BOOL, false, List.of());
    }

    public static final List<ScheduleSpec> SPECS = List.of(
            new ScheduleSpec("constant", "torch ConstantLR: lr * factor for total_iters ticks, then lr",
                    List.of(num("factor", 1.0 / 3), integer("total_iters", 5L))),
            new ScheduleSpec("step", "torch StepLR: lr * gamma every step_size ticks", List.of(integer("step_size", null), num("gamma", 0.1))),
            new ScheduleSpec("multistep", "torch MultiStepLR: lr * gamma at each milestone",
                    List.of(new Option("milestones", Type.INTEGERS, null, List.of()), num("gamma", 0.1))),
            new ScheduleSpec("exponential", "torch ExponentialLR: lr * gamma^t", List.of(num("gamma", null))),
            new ScheduleSpec("cosine", "torch CosineAnnealingLR: cosine from lr to eta_min over t_max ticks",
                    List.of(integer("t_max", null), num("eta_min", 0.0))),
            new ScheduleSpec("cosine_warm_restarts", "torch CosineAnnealingWarmRestarts (SGDR): cosine restarts every t_0 * t_mult^i ticks",
                    List.of(integer("t_0", null), integer("t_mult", 1L), num("eta_min", 0.0))),
            new ScheduleSpec("linear", "torch LinearLR: lr * factor, the factor going linearly from start_factor to end_factor over total_iters (warm-up)",
                    List.of(num("start_factor", 1.0 / 3), num("end_factor", 1.0), integer("total_iters", 5L))),
            new ScheduleSpec("inverse_sqrt", "transformer (noam) schedule: linear warm-up over warmup_steps, then lr * sqrt(warmup_steps / n)",
                    List.of(integer("warmup_steps", null))),
            new ScheduleSpec("one_cycle", "torch OneCycleLR: up to max_lr over pct_start, then down to max_lr / div_factor / final_div_factor; "
                    + "cycle_momentum: true moves the momentum (beta1) the other way between max_momentum and base_momentum",
                    List.of(num("max_lr", null), integer("total_steps", null), num("pct_start", 0.3), choice("anneal_strategy", "cos", "cos", "linear"),
                            num("div_factor", 25.0), num("final_div_factor", 1e4), bool("three_phase"), bool("cycle_momentum"), num("base_momentum", 0.85),
                            num("max_momentum", 0.95))),
            new ScheduleSpec("polynomial", "torch PolynomialLR: lr * (1 - t / total_iters)^power, 0 from total_iters on",
                    List.of(integer("total_iters", 5L), num("power", 1.0))),
            new ScheduleSpec("cyclic", "torch CyclicLR: from lr up to max_lr over step_size_up ticks and back over step_size_down, "
                    + "the amplitude kept (triangular), halved every cycle (triangular2) or times gamma^t (exp_range); "
                    + "cycle_momentum: true moves the momentum (beta1) the other way between max_momentum and base_momentum",
                    List.of(num("max_lr", null), integer("step_size_up", 2000L), integer("step_size_down", 0L),
                            choice("mode", "triangular", "triangular", "triangular2", "exp_range"), num("gamma", 1.0), bool("cycle_momentum"),
                            num("base_momentum", 0.8), num("max_momentum", 0.9))),
            new ScheduleSpec("reduce_on_plateau", "torch ReduceLROnPlateau: lr * factor when the monitored metric stops improving for patience epochs",
                    List.of(choice("mode", "min", "min", "max"), num("factor", 0.1), integer("patience", 10L), num("threshold", 1e-4),
                            choice("threshold_mode", "rel", "rel", "abs"), integer("cooldown", 0L), num("min_lr", 0.0), num("eps", 1e-8),
                            choice("monitor", "val_loss", ReduceOnPlateau.MONITORS.toArray(String[]::new)))),
            new ScheduleSpec("sequential", "torch SequentialLR: schedules one after another, switching at the milestones",
                    List.of(new Option("schedules", Type.SCHEDULES, null, List.of()), new Option("milestones", Type.INTEGERS, null, List.of()))));

    public static List<String> names() {
        return SPECS.stream().map(ScheduleSpec::name).toList();
    }

    /** The spec of a name; IllegalArgumentException with the valid names when unknown. */
    public static ScheduleSpec spec(String name) {
        for (ScheduleSpec s : SPECS) if (s.name().equals(name)) return s;
        throw new IllegalArgumentException("unknown schedule '" + name + "'; valid: " + String.join(", ", names()));
    }

    static LrSchedule build(ScheduleSetting s, double lr) {
        return switch (s.name()) {
            case "constant" -> new Constant(lr, s.number("factor"), s.integer("total_iters"));
            case "step" -> new Step(lr, s.integer("step_size"), s.number("gamma"));
            case "multistep" -> new MultiStep(lr, s.integers("milestones"), s.number("gamma"));
            case "exponential" -> new Exponential(lr, s.number("gamma"));
            case "cosine" -> new CosineAnnealing(lr, s.integer("t_max"), s.number("eta_min"));
            case "cosine_warm_restarts" -> new CosineAnnealingWarmRestarts(lr, s.integer("t_0"), s.integer("t_mult"), s.number("eta_min"));
            case "linear" -> new LinearWarmup(lr, s.number("start_factor"), s.number("end_factor"), s.integer("total_iters"));
            case "inverse_sqrt" -> new InverseSqrt(lr, s.integer("warmup_steps"));
            case "one_cycle" -> new OneCycle(s.number("max_lr"), s.integer("total_steps"), s.number("pct_start"), s.string("anneal_strategy"),
                    s.number("div_factor"), s.number("final_div_factor"), s.bool("three_phase"), MomentumRange.of(s));
            case "polynomial" -> new Polynomial(lr, s.integer("total_iters"), s.number("power"));
            case "cyclic" -> new Cyclic(lr, s.number("max_lr"), s.integer("step_size_up"),
                    s.integer("step_size_down") == 0 ? s.integer("step_size_up") : s.integer("step_size_down"), s.string("mode"),
                    s.number("gamma"), MomentumRange.of(s)); // step_size_down 0 is torch's None: as step_size_up
            case "reduce_on_plateau" -> new ReduceOnPlateau(lr, s.string("mode"), s.number("factor"), s.integer("patience"), s.number("threshold"),
                    s.string("threshold_mode"), s.integer("cooldown"), s.number("min_lr"), s.number("eps"));
            case "sequential" -> {
                List<LrSchedule> parts = new ArrayList<>();
                for (ScheduleSetting p : s.schedules("schedules")) parts.add(build(p, lr));
                yield new Sequential(parts, s.integers("milestones"));
            }
            default -> throw new IllegalArgumentException("unknown schedule '" + s.name() + "'; valid: " + String.join(", ", names()));
        };
    }

    /** The ReduceOnPlateau a schedule is (directly or inside {@link Stepped}), or null. */
    public static ReduceOnPlateau plateau(Schedule s) {
        if (s instanceof Stepped st) s = st.schedule();
        return s instanceof ReduceOnPlateau p ? p : null;
    }
}
