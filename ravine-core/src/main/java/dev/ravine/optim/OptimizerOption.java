package dev.ravine.optim;

import java.util.List;
import java.util.function.DoublePredicate;

/**
 * One option of a named optimizer (torch.optim's name), with its default and the values it accepts: the one
 * definition the Java API ({@link OptimizerSchema#validate}), the config reader and the docs table all read.
 *
 * @param fallback the default: a Double (NUMBER), Integer (INTEGER), Boolean (BOOL), String (CHOICE) or a
 *                 two-element List of Double (PAIR)
 * @param valid    which numbers are accepted (NUMBER, INTEGER, and each element of a PAIR)
 * @param rule     the accepted numbers in words, completing "must be ...": "a number >= 0"
 * @param choices  the valid values of a CHOICE option
 */
public record OptimizerOption(String name, Kind kind, Object fallback, DoublePredicate valid, String rule, List<String> choices) {
    public enum Kind { NUMBER, INTEGER, BOOL, CHOICE, PAIR }

    public OptimizerOption {
        choices = List.copyOf(choices);
    }

    static OptimizerOption number(String name, double fallback, DoublePredicate valid, String rule) {
        return new OptimizerOption(name, Kind.NUMBER, fallback, v -> Double.isFinite(v) && valid.test(v), rule, List.of());
    }

    static OptimizerOption integer(String name, int fallback, int min) {
        return new OptimizerOption(name, Kind.INTEGER, fallback, v -> v >= min && v <= Integer.MAX_VALUE, "an integer of at least " + min, List.of());
    }

    static OptimizerOption bool(String name, boolean fallback) {
        return new OptimizerOption(name, Kind.BOOL, fallback, v -> true, "true or false", List.of());
    }

    static OptimizerOption choice(String name, String fallback, String... choices) {
        return new OptimizerOption(name, Kind.CHOICE, fallback, v -> true, String.join(" or ", choices), List.of(choices));
    }

    static OptimizerOption pair(String name, double first, double second, DoublePredicate valid, String rule) {
        return new OptimizerOption(name, Kind.PAIR, List.of(first, second), v -> Double.isFinite(v) && valid.test(v), rule, List.of());
    }

    /**
     * {@code value} in this option's canonical form (Double, Integer, Boolean, String, List of two Doubles), or an
     * {@link OptionException} naming the option, what it accepts and what it got.
     */
    Object check(String optimizer, Object value) {
        return switch (kind) {
            case NUMBER -> {
                if (!(value instanceof Number n)) throw new OptionException(optimizer, name, "must be a number, got " + value);
                yield checked(optimizer, n.doubleValue());
            }
            case INTEGER -> {
                if (!(value instanceof Number n)) throw new OptionException(optimizer, name, "must be a whole number, got " + value);
                double d = n.doubleValue();
                if (d != Math.rint(d)) throw new OptionException(optimizer, name, "must be a whole number, got " + d);
                if (!valid.test(d)) throw new OptionException(optimizer, name, "must be " + rule + ", got " + (long) d);
                yield (int) d;
            }
            case BOOL -> {
                if (value instanceof Boolean b) yield b;
                throw new OptionException(optimizer, name, "must be true or false, got " + value);
            }
            case CHOICE -> {
                if (value instanceof String s && choices.contains(s)) yield s;
                throw new OptionException(optimizer, name, "must be " + rule + ", got " + value);
            }
            case PAIR -> {
                double[] pair = pairOf(value);
                if (pair == null) throw new OptionException(optimizer, name, "must be a pair of numbers like [0.9, 0.999], got " + value);
                yield List.of(checked(optimizer, pair[0]), checked(optimizer, pair[1]));
            }
        };
    }

    private double checked(String optimizer, double v) {
        if (!valid.test(v)) throw new OptionException(optimizer, name, "must be " + rule + ", got " + v);
        return v;
    }

    private static double[] pairOf(Object v) {
        if (v instanceof double[] d && d.length == 2) return d.clone();
        if (v instanceof List<?> l && l.size() == 2 && l.get(0) instanceof Number a && l.get(1) instanceof Number b) {
            return new double[] {a.doubleValue(), b.doubleValue()};
        }
        return null;
    }
}
