package dev.ravine.app.config;

import java.util.List;
import java.util.Map;

/**
 * One node of a configuration document, with the {@link Origin} of every value so that any later error can point at
 * its line. {@link YamlTree} builds the tree from YAML; {@link Overrides} edits it in place before
 * {@link ConfigReader} interprets it, which is why the collections are mutable.
 */
public sealed interface ConfigNode permits ConfigNode.Scalar, ConfigNode.Mapping, ConfigNode.Sequence {

    Origin origin();

    /** How the node reads in a message: "'ten'", "a mapping", "a list", "nothing". */
    String describe();

    /** The YAML type the scalar's text resolved to (YAML 1.1 rules, as SnakeYAML resolves plain scalars). */
    enum ScalarType { NULL, BOOL, INT, FLOAT, STRING }

    record Scalar(String text, ScalarType type, Origin origin) implements ConfigNode {
        public boolean isNull() {
            return type == ScalarType.NULL;
        }

        @Override
        public String describe() {
            return isNull() ? "nothing (null)" : "'" + text + "'";
        }
    }

    /** A key with where the key itself was written, and its value. */
    record Entry(Origin keyOrigin, ConfigNode value) {}

    /** Keys in document order. */
    record Mapping(Map<String, Entry> entries, Origin origin) implements ConfigNode {
        @Override
        public String describe() {
            return "a mapping";
        }
    }

    record Sequence(List<ConfigNode> items, Origin origin) implements ConfigNode {
        @Override
        public String describe() {
            return "a list";
        }
    }
}
