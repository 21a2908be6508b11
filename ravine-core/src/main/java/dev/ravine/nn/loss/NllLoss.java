package dev.ravine.nn.loss;

import dev.ravine.nn.functional.Functional;
import dev.ravine.tensor.Tensor;

/** -mean_i input[i, y_i] where the input already holds log-probabilities. */
public final class NllLoss implements Loss {
    @Override
    public Tensor compute(Tensor logProbs, Tensor target) {
        return Functional.pickPerRow(logProbs, Loss.classIndices(target)).mean().neg();
    }

    @Override
    public String name() {
        return "nll";
    }

    @Override
    public boolean isClassification() {
        return true;
    }
}
