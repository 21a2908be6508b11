package dev.ravine.app.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The grid of a sweep: each {@code --grid KEY=V1,V2,...} an axis (a config key path, as {@code --set} takes it, and
 * its values); the combinations are every choice of one value per axis, the first axis varying slowest.
 */
public record Grid(Map<String, List<String>> axes) {

    /** Parses {@code --grid} arguments; a bad one is a clear error naming it and the expected form. */
    public static Grid parse(List<String> args) {
        Map<String, List<String>> axes = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0 || eq == arg.length() - 1) {
                throw new IllegalArgumentException("--grid " + arg + ": expected KEY.PATH=V1,V2,... (e.g. --grid optimizer.lr=0.1,0.01)");
            }
            String key = arg.substring(0, eq).trim();
            List<String> values = new ArrayList<>();
            for (String v : arg.substring(eq + 1).split(",", -1)) {
                if (v.isBlank()) throw new IllegalArgumentException("--grid " + arg + ": an empty value; separate values with single commas");
                if (values.contains(v.trim())) throw new IllegalArgumentException("--grid " + arg + ": the value " + v.trim() + " is given twice");
                values.add(v.trim());
            }
            if (axes.containsKey(key)) throw new IllegalArgumentException("--grid " + key + " is given twice; give all its values in one --grid");
            axes.put(key, List.copyOf(values));
        }
        return new Grid(axes);
    }

    /** Every combination, one value per axis, in grid order; one empty combination when there are no axes. */
    public List<Map<String, String>> combinations() {
        List<Map<String, String>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<String>> axis : axes.entrySet()) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> partial : out) {
                for (String v : axis.getValue()) {
                    Map<String, String> c = new LinkedHashMap<>(partial);
                    c.put(axis.getKey(), v);
                    next.add(c);
                }
            }
            out = next;
        }
        return out.stream().map(Map::copyOf).map(m -> ordered(m)).toList();
    }

    private Map<String, String> ordered(Map<String, String> m) {
        Map<String, String> o = new LinkedHashMap<>();
        axes.keySet().forEach(k -> o.put(k, m.get(k)));
        return o;
    }

    /** A combination as text: "optimizer.lr=0.1 training.batch_size=32", or "(the config as is)" without axes. */
    public static String describe(Map<String, String> combination) {
        if (combination.isEmpty()) return "(the config as is)";
        StringBuilder b = new StringBuilder();
        combination.forEach((k, v) -> b.append(b.isEmpty() ? "" : " ").append(k).append('=').append(v));
        return b.toString();
    }
}
