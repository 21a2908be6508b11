package dev.ravine.app.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.DoublePredicate;

/**
 * A mapping of the configuration being read, with typed getters that record a problem (key path, what was
 * expected, what was found, where) and return a fallback instead of stopping, so that one pass finds every mistake.
 * An absent key and a key with an empty (null) value both mean "use the default".
 */
final class Section {
    private final ConfigNode.Mapping node;
    private final String path;
    private final Problems problems;

    Section(ConfigNode.Mapping node, String path, Problems problems) {
        this.node = node;
        this.path = path;
        this.problems = problems;
    }

    String path() {
        return path;
    }

    Origin origin() {
        return node.origin();
    }

    Problems problems() {
        return problems;
    }

    String pathOf(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** Reports every key not in {@code valid}, with the closest valid one and the whole list. */
    void allowOnly(Collection<String> valid) {
        allowOnly(valid, "");
    }

    /** As {@link #allowOnly(Collection)}, with words that qualify the section ("for sgd"). */
    void allowOnly(Collection<String> valid, String qualifier) {
        for (var e : node.entries().entrySet()) {
            if (valid.contains(e.getKey())) continue;
            String where = (path.isEmpty() ? "at the top level" : "in " + path) + qualifier;
            problems.add("unknown key '" + e.getKey() + "' " + where + " (" + e.getValue().keyOrigin().describe() + ");"
                    + NameSuggestion.hint(e.getKey(), valid) + " valid keys " + where + ": " + String.join(", ", valid));
        }
    }

    boolean has(String key) {
        return get(key) != null;
    }

    /** The value of {@code key}, or null when absent or null. */
    ConfigNode get(String key) {
        ConfigNode.Entry e = node.entries().get(key);
        if (e == null) return null;
        if (e.value() instanceof ConfigNode.Scalar s && s.isNull()) return null;
        return e.value();
    }

    /** Where the key's value (or, when it is absent, this section) was written. */
    Origin originOf(String key) {
        ConfigNode.Entry e = node.entries().get(key);
        return e == null ? node.origin() : e.value().origin();
    }

    void missing(String key, String hint) {
        String where = path.isEmpty() ? "at the top level" : "in " + path;
        problems.add("missing required key '" + key + "' " + where + " (" + node.origin().describe() + "): " + hint);
    }

    void problem(String key, String problem) {
        problems.add(pathOf(key), problem, originOf(key));
    }

    // ------------------------------------------------------------------ typed values

    Long longValue(String key, Long fallback) {
        ConfigNode v = get(key);
        if (v == null) return fallback;
        Long parsed = parseLong(v);
        if (parsed == null) {
            problem(key, "expected an integer, got " + v.describe());
            return fallback;
        }
        return parsed;
    }

    /** An integer of at least {@code min}; {@code fallback} when absent (null fallback: optional). */
    Integer integer(String key, Integer fallback, int min) {
        ConfigNode v = get(key);
        if (v == null) return fallback;
        Long parsed = parseLong(v);
        if (parsed == null) {
            problem(key, integerDigits(v) ? "is out of range: " + v.describe() + " is above the largest allowed, "
                    + Integer.MAX_VALUE : "expected an integer, got " + v.describe());
            return fallback;
        }
        if (parsed > Integer.MAX_VALUE) {
            problem(key, "is out of range: " + parsed + " is above the largest allowed, " + Integer.MAX_VALUE);
            return fallback;
        }
        if (parsed < min) {
            problem(key, "must be an integer of at least " + min + ", got " + parsed);
            return fallback;
        }
        return parsed.intValue();
    }

    /** As {@link #integer}, with {@code expected} saying what else the key accepts ("an integer >= 0 or same"). */
    Integer integerOr(String key, Integer fallback, int min, String expected) {
        ConfigNode v = get(key);
        if (v == null) return fallback;
        Long parsed = parseLong(v);
        if (parsed == null || parsed < min || parsed > Integer.MAX_VALUE) {
            problem(key, "expected " + expected + ", got " + v.describe());
            return fallback;
        }
        return parsed.intValue();
    }

    Integer requiredInteger(String key, int min, String hint) {
        if (!has(key)) {
            missing(key, hint);
            return null;
        }
        return integer(key, null, min);
    }

    /** A finite number accepted by {@code valid} (whose rule {@code rule} states); {@code fallback} when absent. */
    Double number(String key, Double fallback, DoublePredicate valid, String rule) {
        ConfigNode v = get(key);
        if (v == null) return fallback;
        Double parsed = parseDouble(v);
        if (parsed == null) {
            problem(key, notANumber(v));
            return fallback;
        }
        if (!valid.test(parsed)) {
            problem(key, "must be " + rule + ", got " + v.describe().replace("'", ""));
            return fallback;
        }
        return parsed;
    }

    boolean bool(String key, boolean fallback) {
        ConfigNode v = get(key);
        if (v == null) return fallback;
        if (v instanceof ConfigNode.Scalar s) {
            String t = s.text().toLowerCase(Locale.ROOT);
            if (t.equals("true") || s.type() == ConfigNode.ScalarType.BOOL && List.of("yes", "on").contains(t)) return true;
            if (t.equals("false") || s.type() == ConfigNode.ScalarType.BOOL && List.of("no", "off").contains(t)) return false;
        }
        problem(key, "expected true or false, got " + v.describe());
        return fallback;
    }

    String string(String key, String fallback) {
        ConfigNode v = get(key);
        if (v == null) return fallback;
        if (v instanceof ConfigNode.Scalar s) return s.text();
        problem(key, "expected a text value, got " + v.describe());
        return fallback;
    }

    /** One of {@code valid} names (a {@code what}: "loss", "normalization"); a near miss gets a suggestion. */
    String choice(String key, String fallback, Collection<String> valid, String what) {
        String s = string(key, null);
        if (s == null) return fallback;
        if (valid.contains(s)) return s;
        problem(key, "unknown " + what + " '" + s + "';" + NameSuggestion.hint(s, valid) + " valid: " + String.join(", ", valid));
        return fallback;
    }

    /** A nested mapping, or null when absent (a non-mapping value is a problem). */
    Section section(String key) {
        ConfigNode v = get(key);
        if (v == null) return null;
        if (v instanceof ConfigNode.Mapping m) return new Section(m, pathOf(key), problems);
        problem(key, "expected a mapping (indented 'key: value' lines), got " + v.describe());
        return null;
    }

    /** A list value, or null when absent (a non-list value is a problem). */
    List<ConfigNode> list(String key) {
        ConfigNode v = get(key);
        if (v == null) return null;
        if (v instanceof ConfigNode.Sequence s) return s.items();
        problem(key, "expected a list ([a, b] or '- item' lines), got " + v.describe());
        return null;
    }

    /** A list of numbers accepted by {@code valid}; exactly {@code size} of them when size > 0. */
    double[] numbers(String key, double[] fallback, int size, DoublePredicate valid, String rule) {
        List<ConfigNode> items = list(key);
        if (items == null) return fallback;
        if (size > 0 && items.size() != size) {
            problem(key, "expected a list of " + size + " numbers, got " + items.size());
            return fallback;
        }
        double[] out = new double[items.size()];
        for (int i = 0; i < out.length; i++) {
            Double d = parseDouble(items.get(i));
            if (d == null || !valid.test(d)) {
                String why = d == null && overflows(items.get(i)) ? notANumber(items.get(i)) : "must be " + rule + ", got " + items.get(i).describe();
                problems.add(pathOf(key) + "[" + i + "]", why, items.get(i).origin());
                return fallback;
            }
            out[i] = d;
        }
        return out;
    }

    /** A list of integers of at least {@code min}. */
    int[] integers(String key, int min) {
        List<ConfigNode> items = list(key);
        if (items == null) return null;
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Long l = parseLong(items.get(i));
            if (l == null || l < min || l > Integer.MAX_VALUE) {
                problems.add(pathOf(key) + "[" + i + "]", "expected an integer of at least " + min + ", got "
                        + items.get(i).describe(), items.get(i).origin());
                return null;
            }
            out.add(l.intValue());
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Written as a whole number (whatever its size). */
    static boolean integerDigits(ConfigNode v) {
        return v instanceof ConfigNode.Scalar s && s.text().trim().replace("_", "").matches("[-+]?\\d+");
    }

    static Long parseLong(ConfigNode v) {
        if (!(v instanceof ConfigNode.Scalar s)) return null;
        String t = s.text().trim().replace("_", "");
        if (!t.matches("[-+]?\\d+")) return null;
        try {
            return Long.parseLong(t.startsWith("+") ? t.substring(1) : t);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Why {@code v} is not a usable number: a decimal too large for a double is out of range, anything else is no number. */
    static String notANumber(ConfigNode v) {
        if (overflows(v)) {
            return "is out of range: " + v.describe() + " is beyond the largest number a double holds (about 1.8e308)";
        }
        return "expected a number, got " + v.describe();
    }

    /** Written as a decimal number, but too large in magnitude for a double. */
    static boolean overflows(ConfigNode v) {
        if (!(v instanceof ConfigNode.Scalar s)) return false;
        String t = s.text().trim().replace("_", "");
        return t.matches(DECIMAL) && Double.isInfinite(Double.parseDouble(t));
    }

    private static final String DECIMAL = "[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?";

    static Double parseDouble(ConfigNode v) {
        if (!(v instanceof ConfigNode.Scalar s)) return null;
        String t = s.text().trim().replace("_", "");
        // Only decimal notation: Java would also accept "NaN", "Infinity" and hex, which no config should hold.
        if (!t.matches(DECIMAL)) return null;
        double d = Double.parseDouble(t);
        return Double.isFinite(d) ? d : null;
    }
}
