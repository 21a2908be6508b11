package dev.ravine.app.config;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Turns YAML text into a {@link ConfigNode} tree using SnakeYAML's node API ({@code Yaml.compose}), which keeps the
 * start mark (line) of every node; the usual {@code Yaml.load} to maps would lose them. Duplicate keys, which
 * SnakeYAML's composer accepts silently (the last one wins), are reported here.
 */
public final class YamlTree {
    private YamlTree() {}

    /** Parses a whole configuration file; {@code fileName} is how messages name it. */
    public static ConfigNode parseDocument(String text, String fileName) {
        Node root = compose(text, fileName, null);
        if (root == null) {
            throw new ConfigException(fileName + " is empty; a configuration needs at least the data, model and optimizer "
                    + "sections (see examples/fashion-mlp.yaml)");
        }
        Problems problems = new Problems();
        ConfigNode tree = new Expansion(n -> Origin.inFile(fileName, n.getStartMark().getLine() + 1), problems, fileName).convert(root);
        problems.throwIfAny();
        return tree;
    }

    /** Parses the value of a {@code --set key=value} argument as a YAML value: 3, 0.1, true, [0.9, 0.99], text. */
    public static ConfigNode parseValue(String text, String setArgument) {
        Origin origin = Origin.commandLine(setArgument);
        Node node = compose(text, "--set " + setArgument, setArgument);
        if (node == null) return new ConfigNode.Scalar("", ConfigNode.ScalarType.NULL, origin);
        Problems problems = new Problems();
        ConfigNode value = new Expansion(n -> origin, problems, "--set " + setArgument).convert(node);
        problems.throwIfAny();
        return value;
    }

    private static Node compose(String text, String name, String setArgument) {
        YamlLimits.requireLength(text, name);
        try {
            return new Yaml(YamlLimits.loaderOptions()).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String where = setArgument != null ? "--set " + setArgument
                    : mark == null ? name : name + " line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
            String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
            String context = e.getContext() != null ? " " + e.getContext() : "";
            throw new ConfigException("YAML syntax error at " + where + ": " + problem + context
                    + "; check the indentation and that every 'key: value' has a space after the colon");
        } catch (YAMLException e) {
            throw new ConfigException("cannot read " + name + " as YAML: " + e.getMessage());
        }
    }

    /**
     * Walks the composed graph into a tree. SnakeYAML shares one node for every alias of an anchor, so the tree is the
     * graph expanded: its size is counted against {@link YamlLimits#NODES} as it grows, and a node met again inside
     * itself (a list that contains itself) is refused instead of recursing forever.
     */
    private static final class Expansion {
        private final Function<Node, Origin> originOf;
        private final Problems problems;
        private final String name;
        private final Set<Node> open = Collections.newSetFromMap(new IdentityHashMap<>());
        private int nodes;

        Expansion(Function<Node, Origin> originOf, Problems problems, String name) {
            this.originOf = originOf;
            this.problems = problems;
            this.name = name;
        }

        ConfigNode convert(Node node) {
            Origin origin = originOf.apply(node);
            if (++nodes > YamlLimits.NODES) {
                throw new ConfigException(name + " expands to more than " + YamlLimits.NODES + " values (" + origin.describe()
                        + "); aliases (*name) that repeat each other multiply; a configuration needs a few hundred");
            }
            if (!open.add(node)) {
                throw new ConfigException(name + " has a value that contains itself through an alias (" + origin.describe()
                        + "); a configuration must be a tree: copy the value instead of referring to it from inside");
            }
            try {
                return convertOpen(node, origin);
            } finally {
                open.remove(node);
            }
        }

        private ConfigNode convertOpen(Node node, Origin origin) {
            return switch (node) {
                case ScalarNode s -> new ConfigNode.Scalar(s.getValue(), typeOf(s), origin);
                case SequenceNode s -> {
                    List<ConfigNode> items = new ArrayList<>();
                    for (Node item : s.getValue()) items.add(convert(item));
                    yield new ConfigNode.Sequence(items, origin);
                }
                case MappingNode m -> {
                    Map<String, ConfigNode.Entry> entries = new LinkedHashMap<>();
                    for (NodeTuple t : m.getValue()) {
                        Origin keyOrigin = originOf.apply(t.getKeyNode());
                        if (!(t.getKeyNode() instanceof ScalarNode key)) {
                            problems.add("a key must be a plain name, not a list or mapping (" + keyOrigin.describe() + ")");
                            continue;
                        }
                        ConfigNode.Entry previous = entries.get(key.getValue());
                        if (previous != null) {
                            problems.add("key '" + key.getValue() + "' appears twice in the same mapping ("
                                    + previous.keyOrigin().describe() + " and line " + keyOrigin.line() + "); keep one of them");
                            continue;
                        }
                        entries.put(key.getValue(), new ConfigNode.Entry(keyOrigin, convert(t.getValueNode())));
                    }
                    yield new ConfigNode.Mapping(entries, origin);
                }
                default -> throw new ConfigException("unsupported YAML node " + node.getNodeId() + " (" + origin.describe() + ")");
            };
        }
    }

    private static ConfigNode.ScalarType typeOf(ScalarNode s) {
        Tag tag = s.getTag();
        if (Tag.NULL.equals(tag)) return ConfigNode.ScalarType.NULL;
        if (Tag.BOOL.equals(tag)) return ConfigNode.ScalarType.BOOL;
        if (Tag.INT.equals(tag)) return ConfigNode.ScalarType.INT;
        if (Tag.FLOAT.equals(tag)) return ConfigNode.ScalarType.FLOAT;
        return ConfigNode.ScalarType.STRING;
    }
}
