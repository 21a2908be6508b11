package dev.ravine.app.compare;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * A run's resolved config.yaml as dotted keys ({@code optimizer.lr}, {@code model.layers.0.units}) and their values
 * written as text, so that two runs' configs can be compared key by key. Read as plain YAML, like the report does,
 * so an old run whose keys no longer validate still compares.
 */
public final class FlatConfig {
    private FlatConfig() {}

    public static Map<String, String> of(String yamlText) {
        Map<String, String> out = new LinkedHashMap<>();
        Object root;
        try {
            root = new Yaml(new LoaderOptions()).load(yamlText);
        } catch (YAMLException e) {
            return out;
        }
        flatten("", root, out);
        return out;
    }

    private static void flatten(String prefix, Object node, Map<String, String> out) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> flatten(prefix.isEmpty() ? String.valueOf(k) : prefix + "." + k, v, out));
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) flatten(prefix + "." + i, list.get(i), out);
        } else if (!prefix.isEmpty()) {
            out.put(prefix, String.valueOf(node));
        }
    }
}
