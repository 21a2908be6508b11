package dev.ravine.optim;

import dev.ravine.tensor.Tensor;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Supplier;

/**
 * An optimizer whose steps are a {@link ClosureMethod}'s (L-BFGS): every parameter counts as active, and the last
 * update of each is the change the whole step made.
 */
public final class ClosureOptimizer extends Optimizer {
    private final ClosureMethod method;

    ClosureOptimizer(Map<String, Tensor> namedParams, ClosureMethod method) {
        super(namedParams);
        this.method = method;
    }

    @Override
    public void step() {
        throw new IllegalStateException(method.describe() + " evaluates the loss several times per step: call step(closure)");
    }

    @Override
    public double step(Supplier<Tensor> closure) {
        float[][] values = new float[params.size()][];
        for (int i = 0; i < params.size(); i++) {
            values[i] = params.get(i).storage();
            System.arraycopy(values[i], 0, updates[i], 0, updates[i].length);
        }
        double loss;
        try {
            loss = method.step(closure, lrScale);
        } catch (RuntimeException e) {
            for (float[] u : updates) Arrays.fill(u, 0f); // a step that did not finish reads as no step
            throw e;
        }
        step++;
        for (int i = 0; i < values.length; i++) {
            float[] w = values[i], u = updates[i];
            for (int j = 0; j < w.length; j++) u[j] = w[j] - u[j];
        }
        boolean[] active = new boolean[params.size()];
        Arrays.fill(active, true);
        applyConstraints(values, active);
        return loss;
    }

    @Override
    public double learningRate() {
        return method.learningRate() * lrScale;
    }

    /** None: a closure method is not a chain of links. */
    @Override
    public GradientTransform transform() {
        return Chain.of();
    }

    @Override
    public TransformState state() {
        return TransformState.EMPTY;
    }

    public ClosureMethod method() {
        return method;
    }

    @Override
    String describeMethod() {
        return method.describe();
    }

    @Override
    StateEncoding encoding() {
        return StateEncoding.of(method);
    }
}
