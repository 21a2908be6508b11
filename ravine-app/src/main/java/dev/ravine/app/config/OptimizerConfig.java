package dev.ravine.app.config;

import dev.ravine.optim.Optimizer;
import dev.ravine.optim.Optimizers;
import dev.ravine.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * The {@code optimizer} section, with torch.optim's option names and defaults: sgd {lr, momentum, dampening,
 * nesterov, weight_decay} and adam {lr, betas, eps, weight_decay, amsgrad}. Fields that do not belong to the chosen
 * optimizer keep their defaults and are not written.
 */
public record OptimizerConfig(String name, double lr, double momentum, double dampening, boolean nesterov, double weightDecay,
                              double beta1, double beta2, double eps, boolean amsgrad) {

    public static final List<String> NAMES = List.of("sgd", "adam");

    /** The keys each optimizer accepts, "name" included. */
    public static List<String> keys(String name) {
        return switch (name) {
            case "sgd" -> List.of("name", "lr", "momentum", "dampening", "nesterov", "weight_decay");
            case "adam" -> List.of("name", "lr", "betas", "eps", "weight_decay", "amsgrad");
            default -> List.of("name");
        };
    }

    public Optimizer create(Map<String, Tensor> parameters) {
        return switch (name) {
            case "sgd" -> Optimizers.sgd(parameters, lr, momentum, dampening, nesterov, weightDecay);
            case "adam" -> Optimizers.adam(parameters, lr, beta1, beta2, eps, weightDecay, amsgrad);
            default -> throw new IllegalArgumentException("unknown optimizer '" + name + "'; valid: " + String.join(", ", NAMES));
        };
    }
}
