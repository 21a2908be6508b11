package dev.ravine.schedule;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A schedule by name with its options (config names; NUMBER Double, INTEGER Long, BOOL Boolean, CHOICE String,
 * INTEGERS long[], SCHEDULES List of ScheduleSetting). Missing options take the spec's defaults; unknown or missing
 * required ones fail with the valid list.
 */
public record ScheduleSetting(String name, Map<String, Object> options) {
    public ScheduleSetting {
        ScheduleSpec spec = Schedules.spec(name);
        Map<String, Object> filled = new LinkedHashMap<>();
        for (String k : options.keySet()) {
            if (spec.option(k) == null) {
                throw new IllegalArgumentException("unknown option '" + k + "' for schedule " + name + "; valid: " + String.join(", ", spec.optionNames()));
            }
        }
        for (ScheduleSpec.Option o : spec.options()) {
            Object v = options.containsKey(o.name()) ? options.get(o.name()) : o.fallback();
            if (v == null) throw new IllegalArgumentException("schedule " + name + " needs option '" + o.name() + "'");
            filled.put(o.name(), v);
        }
        options = java.util.Collections.unmodifiableMap(filled);
    }

    public double number(String key) {
        return ((Number) options.get(key)).doubleValue();
    }

    public long integer(String key) {
        return ((Number) options.get(key)).longValue();
    }

    public boolean bool(String key) {
        return (Boolean) options.get(key);
    }

    public String string(String key) {
        return (String) options.get(key);
    }

    public long[] integers(String key) {
        return ((long[]) options.get(key)).clone();
    }

    @SuppressWarnings("unchecked")
    public List<ScheduleSetting> schedules(String key) {
        return (List<ScheduleSetting>) options.get(key);
    }

    /** The schedule for an optimizer whose lr (torch's initial_lr) is {@code baseLr}. */
    public LrSchedule build(double baseLr) {
        return Schedules.build(this, baseLr);
    }
}
