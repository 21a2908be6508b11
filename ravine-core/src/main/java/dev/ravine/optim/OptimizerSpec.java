package dev.ravine.optim;

import dev.ravine.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * One entry of the optimizer registry ({@link Optimizers#byName}): the name, a one-line description, the options it
 * accepts with their defaults (torch.optim's names; pairs such as {@code betas} are two-element lists), and how to
 * build the chain from a complete option map.
 */
public record OptimizerSpec(String name, String description, Map<String, Object> defaults, Factory factory) {
    public OptimizerSpec {
        defaults = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(defaults));
    }

    @FunctionalInterface
    public interface Factory {
        Optimizer build(Map<String, Tensor> params, Options options);
    }

    /** The option names, in the order the defaults list them. */
    public List<String> optionNames() {
        return List.copyOf(defaults.keySet());
    }

    /** Typed access to a complete (defaults merged) option map. */
    public record Options(String optimizer, Map<String, Object> values) {
        public double number(String key) {
            Object v = values.get(key);
            if (v instanceof Number n) return n.doubleValue();
            throw new OptionException(optimizer, key, "must be a number, got " + v);
        }

        public long integer(String key) {
            double d = number(key);
            if (d != Math.rint(d)) throw new OptionException(optimizer, key, "must be a whole number, got " + d);
            return (long) d;
        }

        public String string(String key) {
            Object v = values.get(key);
            if (v instanceof String str) return str;
            throw new OptionException(optimizer, key, "must be a name, got " + v);
        }

        public boolean bool(String key) {
            Object v = values.get(key);
            if (v instanceof Boolean b) return b;
            throw new OptionException(optimizer, key, "must be true or false, got " + v);
        }

        public double[] pair(String key) {
            Object v = values.get(key);
            if (v instanceof double[] d && d.length == 2) return d.clone();
            if (v instanceof List<?> l && l.size() == 2 && l.get(0) instanceof Number a && l.get(1) instanceof Number b) {
                return new double[] {a.doubleValue(), b.doubleValue()};
            }
            throw new OptionException(optimizer, key, "must be a pair of numbers like [0.9, 0.999], got " + v);
        }
    }
}
