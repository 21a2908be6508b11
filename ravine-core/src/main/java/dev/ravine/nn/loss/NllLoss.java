package dev.ravine.nn.loss;

import dev.ravine.tensor.Tensor;

/**
 * -input[i, y_i] where the input already holds log-probabilities, with torch's class weights, ignore_index and
 * reduction (see {@link ClassWeighting}).
 */
public final class NllLoss implements Loss {
    private final ClassWeighting weighting;

    public NllLoss() {
        this(ClassWeighting.NONE);
    }

    public NllLoss(ClassWeighting weighting) {
        this.weighting = weighting;
    }

    @Override
    public Tensor compute(Tensor logProbs, Tensor target) {
        return weighting.negativeLogLikelihood(logProbs, Loss.classIndices(target), 0);
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
