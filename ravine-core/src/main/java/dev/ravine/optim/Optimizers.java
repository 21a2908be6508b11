package dev.ravine.optim;

import dev.ravine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Named chains with torch.optim's defaults and update rules. */
public final class Optimizers {
    private Optimizers() {}

    /** torch.optim.SGD(lr, momentum, dampening, weight_decay, nesterov). */
    public static Optimizer sgd(Map<String, Tensor> params, double lr, double momentum, double dampening, boolean nesterov, double weightDecay) {
        List<GradientTransform> links = new ArrayList<>();
        if (weightDecay != 0) links.add(new AddDecayedWeights(weightDecay));
        if (momentum != 0) links.add(new TraceMomentum(momentum, dampening, nesterov));
        else if (nesterov) throw new IllegalArgumentException("Nesterov momentum requires momentum > 0");
        links.add(new ScaleByLearningRate(Schedule.constant(lr)));
        return new Optimizer(params, new Chain(links));
    }

    public static Optimizer sgd(Map<String, Tensor> params, double lr) {
        return sgd(params, lr, 0, 0, false, 0);
    }

    /** torch.optim.Adam(lr, betas, eps, weight_decay, amsgrad); defaults (0.9, 0.999), 1e-8. */
    public static Optimizer adam(Map<String, Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
        List<GradientTransform> links = new ArrayList<>();
        if (weightDecay != 0) links.add(new AddDecayedWeights(weightDecay));
        links.add(new ScaleByAdam(beta1, beta2, eps, amsgrad));
        links.add(new ScaleByLearningRate(Schedule.constant(lr)));
        return new Optimizer(params, new Chain(links));
    }

    public static Optimizer adam(Map<String, Tensor> params, double lr) {
        return adam(params, lr, 0.9, 0.999, 1e-8, 0, false);
    }
}
