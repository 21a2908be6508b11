package dev.ravine.nn.loss;

import dev.ravine.nn.functional.Functional;
import dev.ravine.tensor.Tensor;

/** -mean_i log softmax(logits_i)[y_i], from raw logits [n, classes] and class indices [n]. */
public final class CrossEntropyLoss implements Loss {
    @Override
    public Tensor compute(Tensor logits, Tensor target) {
        return Functional.pickPerRow(Functional.logSoftmax(logits), Loss.classIndices(target)).mean().neg();
    }

    @Override
    public String name() {
        return "cross_entropy";
    }

    @Override
    public boolean isClassification() {
        return true;
    }
}
