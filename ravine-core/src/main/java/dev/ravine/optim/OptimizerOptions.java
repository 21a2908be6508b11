package dev.ravine.optim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A complete, validated option map of one named optimizer (defaults merged, each value in its option's canonical
 * form; see {@link OptimizerSchema#validate}), with typed access for the optimizer's factory.
 */
public record OptimizerOptions(String optimizer, Map<String, Object> values) {
    public OptimizerOptions {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public double number(String key) {
        return ((Number) get(key)).doubleValue();
    }

    public long integer(String key) {
        return ((Number) get(key)).longValue();
    }

    public String string(String key) {
        return (String) get(key);
    }

    public boolean bool(String key) {
        return (Boolean) get(key);
    }

    public double[] pair(String key) {
        List<?> l = (List<?>) get(key);
        return new double[] {((Number) l.get(0)).doubleValue(), ((Number) l.get(1)).doubleValue()};
    }

    /** The base learning rate (torch's initial_lr): what a schedule starts from. */
    public double lr() {
        return number("lr");
    }

    private Object get(String key) {
        Object v = values.get(key);
        if (v == null) throw new IllegalArgumentException("optimizer " + optimizer + " has no option '" + key + "'");
        return v;
    }
}
