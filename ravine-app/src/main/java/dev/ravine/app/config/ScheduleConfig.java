package dev.ravine.app.config;

import dev.ravine.optim.OptimizerSchema;
import dev.ravine.schedule.Interval;
import dev.ravine.schedule.ScheduleSetting;
import dev.ravine.schedule.ScheduleSpec;
import dev.ravine.schedule.Schedules;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The optional {@code schedule} section: a learning-rate schedule by torch.optim.lr_scheduler's name with its options
 * (snake_case: t_max, eta_min, ...; see {@link Schedules#SPECS}), and {@code interval: epoch | step}, how often it ticks
 * (default epoch, except one_cycle and inverse_sqrt: step). The optimizer's lr is the schedule's base lr (torch's
 * initial_lr). reduce_on_plateau ticks on the monitored metric at each epoch end ({@code monitor}: val_loss). one_cycle and
 * cyclic take torch's {@code cycle_momentum}, {@code base_momentum} and {@code max_momentum} (off unless set; torch's
 * default is on), refused for an optimizer without momentum or betas as torch refuses it.
 */
public record ScheduleConfig(ScheduleSetting setting, Interval interval) {
    private static final List<String> MOMENTUM_KEYS = List.of("base_momentum", "max_momentum");
    public static final String EXAMPLE = "'schedule: {name: cosine, t_max: 10, eta_min: 0, interval: epoch}'";

    public static Interval defaultInterval(String name) {
        return name.equals("one_cycle") || name.equals("inverse_sqrt") ? Interval.STEP : Interval.EPOCH;
    }

    // ------------------------------------------------------------------ reading and writing

    /** The section, checked against {@code optimizer} (null when it is missing or bad): cycle_momentum needs a momentum to cycle. */
    static ScheduleConfig read(Section top, OptimizerConfig optimizer) {
        if (!top.has("schedule")) return null;
        Section s = top.section("schedule");
        if (s == null) return null;
        ScheduleSetting setting = setting(s, true);
        String interval = s.choice("interval", null, List.of("epoch", "step"), "interval");
        if (setting == null) return null;
        if (cyclesMomentum(setting) && optimizer != null) {
            OptimizerSchema schema = OptimizerConfig.schema(optimizer.name());
            // torch's OneCycleLR and CyclicLR raise for an optimizer without momentum or betas; a closure method is refused elsewhere
            if (!schema.closureMethod() && schema.cycledMomentum() == null) {
                s.problem("cycle_momentum", schema.noMomentumToCycle());
                return null;
            }
        }
        return new ScheduleConfig(setting, interval == null ? defaultInterval(setting.name()) : Interval.parse(interval));
    }

    private static ScheduleSetting setting(Section s, boolean top) {
        if (!s.has("name")) {
            s.missing("name", "which schedule: " + String.join(", ", Schedules.names()) + "; e.g. " + EXAMPLE);
            return null;
        }
        String name = s.choice("name", null, Schedules.names(), "schedule");
        if (name == null) return null;
        ScheduleSpec spec = Schedules.spec(name);
        List<String> keys = new ArrayList<>(List.of("name"));
        keys.addAll(spec.optionNames());
        if (top) keys.add("interval");
        s.allowOnly(keys, " for " + name);
        Map<String, Object> options = new LinkedHashMap<>();
        boolean complete = true;
        for (ScheduleSpec.Option o : spec.options()) {
            if (!s.has(o.name())) {
                if (o.required()) {
                    s.missing(o.name(), "schedule " + name + " needs it (options: " + String.join(", ", spec.optionNames()) + ")");
                    complete = false;
                }
                continue;
            }
            Object v = switch (o.type()) {
                case NUMBER -> s.number(o.name(), null, d -> true, "a number");
                case INTEGER -> {
                    Integer i = s.integer(o.name(), null, 0);
                    yield i == null ? null : (Object) i.longValue();
                }
                case BOOL -> s.bool(o.name(), (Boolean) o.fallback());
                case CHOICE -> s.choice(o.name(), null, o.choices(), o.name());
                case INTEGERS -> {
                    int[] a = s.integers(o.name(), 0);
                    yield a == null ? null : (Object) java.util.Arrays.stream(a).asLongStream().toArray();
                }
                case SCHEDULES -> parts(s, o.name());
            };
            if (v == null) complete = false;
            else options.put(o.name(), v);
        }
        if (!complete) return null;
        momentumKeysNeedCycling(s, options);
        try {
            ScheduleSetting setting = new ScheduleSetting(name, options);
            setting.build(1.0); // checks the values (t_max >= 1, milestones count, ...)
            return setting;
        } catch (IllegalArgumentException e) {
            s.problems().add(s.path(), e.getMessage(), s.origin());
            return null;
        }
    }

    private static boolean cyclesMomentum(ScheduleSetting s) {
        return s.options().get("cycle_momentum") instanceof Boolean b && b;
    }

    /** base_momentum and max_momentum without cycle_momentum: true would be ignored, as torch ignores them; say so instead. */
    private static void momentumKeysNeedCycling(Section s, Map<String, Object> options) {
        if (options.get("cycle_momentum") instanceof Boolean b && b) return;
        for (String key : MOMENTUM_KEYS) {
            if (options.containsKey(key)) s.problem(key, "applies only with cycle_momentum: true; add 'cycle_momentum: true' or remove " + key);
        }
    }

    private static List<ScheduleSetting> parts(Section s, String key) {
        List<ConfigNode> items = s.list(key);
        if (items == null) return null;
        List<ScheduleSetting> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (!(items.get(i) instanceof ConfigNode.Mapping m)) {
                s.problems().add(s.pathOf(key) + "[" + i + "]", "expected a schedule such as {name: linear, total_iters: 5}, got "
                        + items.get(i).describe(), items.get(i).origin());
                return null;
            }
            ScheduleSetting part = setting(new Section(m, s.pathOf(key) + "[" + i + "]", s.problems()), false);
            if (part == null) return null;
            out.add(part);
        }
        return out;
    }

    /** The section as one YAML line, every option written; reads back to an equal configuration. */
    String yaml() {
        return "schedule: {" + fields(setting) + ", interval: " + interval.id() + "}\n";
    }

    private static String fields(ScheduleSetting s) {
        List<String> out = new ArrayList<>();
        out.add("name: " + s.name());
        for (var e : s.options().entrySet()) {
            if (MOMENTUM_KEYS.contains(e.getKey()) && !cyclesMomentum(s)) continue; // they read back only with cycle_momentum: true
            Object v = e.getValue();
            String text;
            if (v instanceof Double d) text = ConfigWriter.number(d);
            else if (v instanceof long[] a) text = java.util.Arrays.toString(a);
            else if (v instanceof List<?> parts) {
                List<String> ps = new ArrayList<>();
                for (Object p : parts) ps.add("{" + fields((ScheduleSetting) p) + "}");
                text = "[" + String.join(", ", ps) + "]";
            } else text = v.toString();
            out.add(e.getKey() + ": " + text);
        }
        return String.join(", ", out);
    }
}
