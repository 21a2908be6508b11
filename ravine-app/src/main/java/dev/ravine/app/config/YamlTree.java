package dev.ravine.app.config;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.yaml.snakeyaml.LoaderOptions;
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
        ConfigNode tree = convert(root, n -> Origin.inFile(fileName, n.getStartMark().getLine() + 1), problems);
        problems.throwIfAny();
        return tree;
    }

    /** Parses the value of a {@code --set key=value} argument as a YAML value: 3, 0.1, true, [0.9, 0.99], text. */
    public static ConfigNode parseValue(String text, String setArgument) {
        Origin origin = Origin.commandLine(setArgument);
        Node node = compose(text, "--set " + setArgument, setArgument);
        if (node == null) return new ConfigNode.Scalar("", ConfigNode.ScalarType.NULL, origin);
        Problems problems = new Problems();
        ConfigNode value = convert(node, n -> origin, problems);
        problems.throwIfAny();
        return value;
    }

    private static Node compose(String text, String name, String setArgument) {
        try {
            return new Yaml(new LoaderOptions()).compose(new StringReader(text));
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

    private static ConfigNode convert(Node node, Function<Node, Origin> originOf, Problems problems) {
        Origin origin = originOf.apply(node);
        return switch (node) {
            case ScalarNode s -> new ConfigNode.Scalar(s.getValue(), typeOf(s), origin);
            case SequenceNode s -> {
                List<ConfigNode> items = new ArrayList<>();
                for (Node item : s.getValue()) items.add(convert(item, originOf, problems));
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
                    entries.put(key.getValue(), new ConfigNode.Entry(keyOrigin, convert(t.getValueNode(), originOf, problems)));
                }
                yield new ConfigNode.Mapping(entries, origin);
            }
            default -> throw new ConfigException("unsupported YAML node " + node.getNodeId() + " (" + origin.describe() + ")");
        };
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
