package dev.ravine.train;

import dev.ravine.autograd.GradMode;
import dev.ravine.nn.loss.Loss;
import dev.ravine.optim.Regularization;
import dev.ravine.tensor.Tensor;
import java.util.Map;

/**
 * A loss plus L1 and L2 penalties on the weights ({@link Regularization}): the training objective, so the reported
 * train_loss includes the penalty. Under no-grad (evaluation: val_loss) only the data loss is computed.
 */
public record RegularizedLoss(Loss inner, Map<String, Tensor> params, double l1, double l2) implements Loss {
    @Override
    public Tensor compute(Tensor output, Tensor target) {
        Tensor l = inner.compute(output, target);
        if (!GradMode.isEnabled()) return l;
        if (l2 != 0) l = l.add(Regularization.l2(params, l2));
        if (l1 != 0) l = l.add(Regularization.l1(params, l1));
        return l;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public boolean isClassification() {
        return inner.isClassification();
    }
}
