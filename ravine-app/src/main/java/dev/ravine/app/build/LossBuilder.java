package dev.ravine.app.build;

import dev.ravine.app.config.LossConfig;
import dev.ravine.app.config.ToolboxConfig;
import dev.ravine.nn.loss.BceWithLogitsLoss;
import dev.ravine.nn.loss.ClassWeighting;
import dev.ravine.nn.loss.CrossEntropyLoss;
import dev.ravine.nn.loss.HuberLoss;
import dev.ravine.nn.loss.Loss;
import dev.ravine.nn.loss.MseLoss;
import dev.ravine.nn.loss.NllLoss;
import dev.ravine.tensor.Tensor;
import dev.ravine.train.RegularizedLoss;
import java.util.Map;

/** A run's loss: the {@code loss} section's named loss with its options, and the toolbox's l1 and l2 terms on the weights. */
public final class LossBuilder {
    private LossBuilder() {}

    /** The loss; {@code weight: balanced} must have been {@link LossConfig#resolved} against the training data first. */
    public static Loss create(LossConfig config) {
        if (config.balanced()) throw new IllegalStateException("weight: balanced is resolved against the training data first (resolved(train))");
        return switch (config.name()) {
            case "cross_entropy" -> new CrossEntropyLoss(new ClassWeighting(config.weight(), config.ignoreIndex(), config.labelSmoothing(), config.reduction()));
            case "nll" -> new NllLoss(new ClassWeighting(config.weight(), config.ignoreIndex(), 0, config.reduction()));
            case "bce_with_logits" -> new BceWithLogitsLoss(config.posWeight(), config.reduction());
            case "mse" -> new MseLoss(config.reduction());
            case "huber" -> new HuberLoss(config.delta(), config.reduction());
            default -> Loss.byName(config.name());
        };
    }

    /** {@code loss} with the toolbox's l1 and l2 terms on the weights, or {@code loss} itself when both are 0. */
    public static Loss regularized(ToolboxConfig toolbox, Loss loss, Map<String, Tensor> params) {
        return toolbox.l1() == 0 && toolbox.l2() == 0 ? loss : new RegularizedLoss(loss, params, toolbox.l1(), toolbox.l2());
    }
}
