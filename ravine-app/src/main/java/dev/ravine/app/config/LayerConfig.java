package dev.ravine.app.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One entry of {@code model.layers}: its kind, its options in schema order (absent inferred options are null), the
 * nested layers of a residual block, and where it was written.
 *
 * @param path   the key path for messages, e.g. {@code model.layers[3]} or {@code model.layers[2].residual.layers[0]}
 */
public record LayerConfig(LayerKind kind, Map<String, Object> options, List<LayerConfig> layers, String path, Origin origin) {
    public LayerConfig {
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
        layers = List.copyOf(layers);
    }

    public Integer integer(String name) {
        return (Integer) options.get(name);
    }

    public double number(String name) {
        return ((Number) options.get(name)).doubleValue();
    }

    public boolean flag(String name) {
        return (Boolean) options.get(name);
    }

    public String text(String name) {
        return (String) options.get(name);
    }

    /** This layer with one option set (e.g. an inferred {@code in}). */
    public LayerConfig with(String name, Object value) {
        Map<String, Object> o = new LinkedHashMap<>(options);
        o.put(name, value);
        return new LayerConfig(kind, o, layers, path, origin);
    }

    public LayerConfig withLayers(List<LayerConfig> nested) {
        return new LayerConfig(kind, options, nested, path, origin);
    }
}
