package dev.ravine.app.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies {@code --set key.path=value} arguments to a configuration tree before it is interpreted, so an override is
 * checked exactly like a value in the file (its errors name the --set argument instead of a line). Paths are dotted
 * keys with {@code [i]} for list items: {@code training.epochs}, {@code optimizer.betas[1]},
 * {@code model.layers[1].linear.out}. A missing mapping on the way is created; whether the final key is a valid one is
 * decided by {@link ConfigReader}, which then reports an unknown key with the closest valid name.
 */
public final class Overrides {
    private static final Pattern SEGMENT = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)|\\[(\\d+)]");

    private Overrides() {}

    private record Segment(String key, int index) {
        boolean isIndex() {
            return key == null;
        }

        @Override
        public String toString() {
            return isIndex() ? "[" + index + "]" : key;
        }
    }

    public static void apply(ConfigNode.Mapping root, List<String> arguments) {
        for (String argument : arguments) apply(root, argument);
    }

    static void apply(ConfigNode.Mapping root, String argument) {
        int eq = argument.indexOf('=');
        if (eq <= 0) {
            throw new ConfigException("--set " + argument + ": expected key.path=value, e.g. --set training.epochs=3");
        }
        String pathText = argument.substring(0, eq).trim();
        List<Segment> path = parsePath(pathText, argument);
        ConfigNode value = YamlTree.parseValue(argument.substring(eq + 1), argument);
        Origin origin = Origin.commandLine(argument);

        ConfigNode current = root;
        StringBuilder walked = new StringBuilder();
        for (int i = 0; i < path.size(); i++) {
            Segment s = path.get(i);
            boolean last = i == path.size() - 1;
            String here = walked.isEmpty() ? "the top level" : "'" + walked + "'";
            if (s.isIndex()) {
                if (!(current instanceof ConfigNode.Sequence seq)) {
                    throw new ConfigException("--set " + argument + ": " + here + " is " + current.describe()
                            + ", not a list, so it has no item " + s);
                }
                if (s.index() >= seq.items().size()) {
                    throw new ConfigException("--set " + argument + ": " + here + " has " + seq.items().size()
                            + " items (indices 0 to " + (seq.items().size() - 1) + "), so it has no item " + s);
                }
                if (last) seq.items().set(s.index(), value);
                else current = seq.items().get(s.index());
                walked.append(s);
            } else {
                if (!(current instanceof ConfigNode.Mapping map)) {
                    throw new ConfigException("--set " + argument + ": " + here + " is " + current.describe()
                            + ", not a mapping, so it has no key '" + s.key() + "'");
                }
                ConfigNode.Entry entry = map.entries().get(s.key());
                if (last) {
                    Origin keyOrigin = entry == null ? origin : entry.keyOrigin();
                    map.entries().put(s.key(), new ConfigNode.Entry(keyOrigin, value));
                } else {
                    boolean absent = entry == null || entry.value() instanceof ConfigNode.Scalar sc && sc.isNull();
                    if (absent) {
                        ConfigNode.Mapping created = new ConfigNode.Mapping(new LinkedHashMap<>(), origin);
                        map.entries().put(s.key(), new ConfigNode.Entry(entry == null ? origin : entry.keyOrigin(), created));
                        current = created;
                    } else {
                        current = entry.value();
                    }
                }
                if (!walked.isEmpty()) walked.append('.');
                walked.append(s.key());
            }
        }
    }

    private static int index(String digits, String argument) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) { // only digits reach here: the number is too large for any list
            throw new ConfigException("--set " + argument + ": list index " + QuotedValues.shorten(digits)
                    + " is too large; a list index counts items from 0");
        }
    }

    private static List<Segment> parsePath(String text, String argument) {
        List<Segment> out = new ArrayList<>();
        Matcher m = SEGMENT.matcher(text);
        int pos = 0;
        while (pos < text.length()) {
            if (!out.isEmpty() && text.charAt(pos) == '.') pos++;
            if (!m.find(pos) || m.start() != pos) {
                throw new ConfigException("--set " + argument + ": cannot read the key path '" + text + "' at position "
                        + (pos + 1) + "; write dotted keys with [i] for list items, e.g. model.layers[1].linear.out");
            }
            out.add(m.group(1) != null ? new Segment(m.group(1), -1) : new Segment(null, index(m.group(2), argument)));
            pos = m.end();
        }
        if (out.isEmpty() || out.getFirst().isIndex()) {
            throw new ConfigException("--set " + argument + ": the key path must start with a top-level key such as training");
        }
        return out;
    }
}
