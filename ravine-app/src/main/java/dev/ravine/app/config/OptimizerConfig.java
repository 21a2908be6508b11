package dev.ravine.app.config;

import dev.ravine.optim.Optimizer;
import dev.ravine.optim.OptimizerSpec;
import dev.ravine.optim.Optimizers;
import dev.ravine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code optimizer} section, with torch.optim's option names and defaults: sgd {lr, momentum, dampening,
 * nesterov, weight_decay} and adam {lr, betas, eps, weight_decay, amsgrad} in typed fields; every other optimizer of
 * {@link Optimizers#SPECS} (adamw, adagrad, adadelta, rmsprop, adamax, nadam, radam, rprop, adaptive_gains,
 * momentum_ramp) keeps its complete option map (defaults merged) in {@code options}, pairs such as {@code betas},
 * {@code etas} and {@code step_sizes} as two-element lists. Fields that do not belong to the chosen optimizer keep
 * their defaults and are not written.
 */
public record OptimizerConfig(String name, double lr, double momentum, double dampening, boolean nesterov, double weightDecay,
                              double beta1, double beta2, double eps, boolean amsgrad, Map<String, Object> options) {

    public static final List<String> NAMES = Optimizers.names();

    public OptimizerConfig {
        options = options == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(options));
    }

    /** sgd and adam, whose options are the typed fields. */
    public OptimizerConfig(String name, double lr, double momentum, double dampening, boolean nesterov, double weightDecay,
                           double beta1, double beta2, double eps, boolean amsgrad) {
        this(name, lr, momentum, dampening, nesterov, weightDecay, beta1, beta2, eps, amsgrad, Map.of());
    }

    /** Any registry optimizer from its complete option map; lr and weight_decay are mirrored into the fields. */
    public static OptimizerConfig of(String name, Map<String, Object> options) {
        double lr = options.get("lr") instanceof Number n ? n.doubleValue() : 0;
        double wd = options.get("weight_decay") instanceof Number n ? n.doubleValue() : 0;
        return new OptimizerConfig(name, lr, 0, 0, false, wd, 0.9, 0.999, 1e-8, false, options);
    }

    /** Whether the optimizer's options are the typed fields (sgd, adam) rather than {@link #options}. */
    public static boolean typed(String name) {
        return name.equals("sgd") || name.equals("adam");
    }

    /** The keys each optimizer accepts, "name" included. */
    public static List<String> keys(String name) {
        return switch (name) {
            case "sgd" -> List.of("name", "lr", "momentum", "dampening", "nesterov", "weight_decay");
            case "adam" -> List.of("name", "lr", "betas", "eps", "weight_decay", "amsgrad");
            default -> {
                if (!NAMES.contains(name)) yield List.of("name");
                List<String> keys = new ArrayList<>(List.of("name"));
                keys.addAll(Optimizers.spec(name).optionNames());
                yield List.copyOf(keys);
            }
        };
    }

    /** The registry entry (defaults and option types) of a non-typed optimizer. */
    public static OptimizerSpec spec(String name) {
        return Optimizers.spec(name);
    }

    public Optimizer create(Map<String, Tensor> parameters) {
        return switch (name) {
            case "sgd" -> Optimizers.sgd(parameters, lr, momentum, dampening, nesterov, weightDecay);
            case "adam" -> Optimizers.adam(parameters, lr, beta1, beta2, eps, weightDecay, amsgrad);
            default -> Optimizers.byName(name, options, parameters);
        };
    }
}
