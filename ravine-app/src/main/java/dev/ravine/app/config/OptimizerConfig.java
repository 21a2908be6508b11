package dev.ravine.app.config;

import dev.ravine.optim.OptimizerSchema;
import dev.ravine.optim.Optimizers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code optimizer} section: a named optimizer of {@link Optimizers#SCHEMAS} with its complete option map
 * (torch.optim's names, defaults merged, each value checked by the schema; pairs such as {@code betas}, {@code etas}
 * and {@code step_sizes} as two-element lists). The accessors read single options (0, or false, for an option the
 * optimizer does not have).
 */
public record OptimizerConfig(String name, Map<String, Object> options) {

    public static final List<String> NAMES = Optimizers.names();

    public OptimizerConfig {
        options = options == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(options));
    }

    /** A named optimizer from its option map. */
    public static OptimizerConfig of(String name, Map<String, Object> options) {
        return new OptimizerConfig(name, options);
    }

    /** The keys each optimizer accepts, "name" included. */
    public static List<String> keys(String name) {
        if (!NAMES.contains(name)) return List.of("name");
        List<String> keys = new ArrayList<>(List.of("name"));
        keys.addAll(schema(name).optionNames());
        return List.copyOf(keys);
    }

    /** The schema (options, defaults, accepted values) of a named optimizer. */
    public static OptimizerSchema schema(String name) {
        return Optimizers.schema(name);
    }

    public double lr() {
        return number("lr");
    }

    public double weightDecay() {
        return number("weight_decay");
    }

    public double momentum() {
        return number("momentum");
    }

    public double dampening() {
        return number("dampening");
    }

    public boolean nesterov() {
        return Boolean.TRUE.equals(options.get("nesterov"));
    }

    public double beta1() {
        return options.get("betas") instanceof List<?> l ? ((Number) l.get(0)).doubleValue() : 0;
    }

    public double beta2() {
        return options.get("betas") instanceof List<?> l ? ((Number) l.get(1)).doubleValue() : 0;
    }

    public double eps() {
        return number("eps");
    }

    public boolean amsgrad() {
        return Boolean.TRUE.equals(options.get("amsgrad"));
    }

    private double number(String key) {
        return options.get(key) instanceof Number n ? n.doubleValue() : 0;
    }
}
