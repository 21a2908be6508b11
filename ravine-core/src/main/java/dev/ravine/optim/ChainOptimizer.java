package dev.ravine.optim;

import dev.ravine.autograd.FiniteCheck;
import dev.ravine.autograd.GradMode;
import dev.ravine.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** An optimizer that runs a {@link GradientTransform} chain on the parameters' gradients, one gradient per step. */
public final class ChainOptimizer extends Optimizer {
    private final GradientTransform transform;
    private final TransformState state;

    /** Adam's one-pass step when the chain is adam -> lr, else null. */
    private final FusedAdamStep fused;

    ChainOptimizer(Map<String, Tensor> namedParams, GradientTransform transform) {
        super(namedParams);
        this.transform = transform;
        this.fused = FusedAdamStep.of(transform);
        List<float[]> arrays = new ArrayList<>();
        for (Tensor p : params) arrays.add(p.storage());
        this.state = transform.init(arrays);
    }

    @Override
    public void step() {
        float[][] values = new float[params.size()][];
        boolean[] active = new boolean[params.size()];
        boolean checked = FiniteCheck.isOn(); // the doctor's NaN replay: a NaN gradient from outside the ops, w + u overflowing
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            values[i] = p.storage();
            Tensor g = p.grad();
            active[i] = g != null;
            if (g == null) Arrays.fill(updates[i], 0f);
            else if (fused == null || checked) System.arraycopy(g.values(), 0, updates[i], 0, updates[i].length);
        }
        step++;
        try (var scope = GradMode.noGrad()) {
            if (fused != null && !checked) fused.apply(params, updates, state, values, new StepContext(step, lrScale, active));
            else chainStep(values, active, checked);
        }
        applyConstraints(values, active);
    }

    /** The chain's links in turn on the copied gradients, then w += u (with each stage checked during a NaN replay). */
    private void chainStep(float[][] values, boolean[] active, boolean checked) {
        if (checked) FiniteCheck.beforeUpdate(updates, values);
        transform.update(updates, state, values, new StepContext(step, lrScale, active));
        boolean[] finiteWeights = checked ? FiniteCheck.finiteRows(values) : null;
        for (int i = 0; i < values.length; i++) {
            if (!active[i]) continue;
            float[] w = values[i], u = updates[i];
            for (int j = 0; j < w.length; j++) w[j] += u[j];
        }
        if (checked) FiniteCheck.afterUpdate(finiteWeights, FiniteCheck.finiteRows(updates), values);
    }

    @Override
    public double step(Supplier<Tensor> closure) {
        throw new IllegalStateException(transform.describe() + " takes one gradient per step: call step()");
    }

    /**
     * The first {@link LearningRateLink}'s schedule at this step (searched through chains and masks) times the lr
     * scale; 1 times the scale when the chain has none.
     */
    @Override
    public double learningRate() {
        LearningRateLink link = findLearningRate(transform);
        double lr = link == null ? 1.0 : link.schedule().learningRate(Math.max(1, step));
        return lr * lrScale;
    }

    private static LearningRateLink findLearningRate(GradientTransform t) {
        if (t instanceof LearningRateLink l) return l;
        if (t instanceof Chain c) {
            for (GradientTransform link : c.links()) {
                LearningRateLink l = findLearningRate(link);
                if (l != null) return l;
            }
        }
        if (t instanceof Masked m) return findLearningRate(m.inner());
        return null;
    }

    @Override
    public GradientTransform transform() {
        return transform;
    }

    @Override
    public TransformState state() {
        return state;
    }

    @Override
    String describeMethod() {
        return transform.describe();
    }

    @Override
    StateEncoding encoding() {
        return StateEncoding.of(state);
    }
}
