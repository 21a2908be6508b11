package dev.ravine.optim;

import dev.ravine.autograd.GradMode;
import dev.ravine.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies a {@link GradientTransform} chain to named parameters: gradients in, parameters updated in place. It
 * keeps the last update of every parameter (the doctor's update/weight ratios) and a learning-rate scale the
 * trainer controls.
 */
public final class Optimizer {
    private final List<String> names;
    private final List<Tensor> params;
    private final GradientTransform transform;
    private final TransformState state;
    private final float[][] updates;
    private final List<ParamConstraint> constraints = new ArrayList<>();
    private long step;
    private double lrScale = 1.0;

    public Optimizer(Map<String, Tensor> namedParams, GradientTransform transform) {
        this.names = List.copyOf(namedParams.keySet());
        this.params = List.copyOf(namedParams.values());
        for (int i = 0; i < params.size(); i++) {
            if (!params.get(i).isDense()) throw new IllegalArgumentException("parameter " + names.get(i) + " is not a dense tensor");
        }
        this.transform = transform;
        List<float[]> arrays = new ArrayList<>();
        for (Tensor p : params) arrays.add(p.storage());
        this.state = transform.init(arrays);
        this.updates = new float[params.size()][];
        for (int i = 0; i < updates.length; i++) updates[i] = new float[params.get(i).numel()];
    }

    /**
     * One update from the gradients currently held by the parameters. A parameter whose gradient is null is skipped,
     * as torch.optim does: it does not move, its state does not advance, and its last update reads as zeros.
     */
    public void step() {
        float[][] values = new float[params.size()][];
        boolean[] active = new boolean[params.size()];
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            values[i] = p.storage();
            Tensor g = p.grad();
            active[i] = g != null;
            if (g == null) Arrays.fill(updates[i], 0f);
            else System.arraycopy(g.values(), 0, updates[i], 0, updates[i].length);
        }
        step++;
        try (var scope = GradMode.noGrad()) {
            transform.update(updates, state, values, new StepContext(step, lrScale, active));
            for (int i = 0; i < values.length; i++) {
                if (!active[i]) continue;
                float[] w = values[i], u = updates[i];
                for (int j = 0; j < w.length; j++) w[j] += u[j];
            }
            if (!constraints.isEmpty()) applyConstraints(values, active);
        }
    }

    /**
     * Post-update steps (projections, proximal steps) run after the updates were added, in order; the last update of
     * each parameter then records the total change. See {@link ParamConstraint}.
     */
    public Optimizer addConstraint(ParamConstraint constraint) {
        constraints.add(java.util.Objects.requireNonNull(constraint));
        return this;
    }

    public List<ParamConstraint> constraints() {
        return List.copyOf(constraints);
    }

    private void applyConstraints(float[][] values, boolean[] active) {
        double lr = learningRate();
        for (int i = 0; i < values.length; i++) {
            if (!active[i]) continue;
            float[] w = values[i], u = updates[i];
            float[] before = w.clone();
            for (ParamConstraint c : constraints) c.apply(names.get(i), params.get(i).shape(), w, lr);
            for (int j = 0; j < w.length; j++) u[j] += w[j] - before[j];
        }
    }

    /**
     * The current step's effective learning rate: the first {@link LearningRateLink}'s schedule at this step (searched
     * through chains and masks) times the lr scale; 1 times the scale when the chain has none.
     */
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

    public void zeroGrad() {
        for (Tensor p : params) p.setGrad(null);
    }

    public long stepCount() {
        return step;
    }

    public void setStepCount(long step) {
        this.step = step;
    }

    public double lrScale() {
        return lrScale;
    }

    /** Multiplies every learning rate of the chain; the trainer's control for repairs and manual intervention. */
    public void setLrScale(double scale) {
        if (!(scale > 0) || Double.isInfinite(scale)) throw new IllegalArgumentException("lr scale must be a positive finite number, got " + scale);
        this.lrScale = scale;
    }

    public GradientTransform transform() {
        return transform;
    }

    public TransformState state() {
        return state;
    }

    public List<String> parameterNames() {
        return names;
    }

    /** The change applied to each parameter by the last step, by name (views, not copies: read, do not keep). */
    public Map<String, float[]> lastUpdates() {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) out.put(names.get(i), updates[i]);
        return out;
    }

    public String describe() {
        if (constraints.isEmpty()) return transform.describe();
        StringBuilder b = new StringBuilder(transform.describe());
        for (ParamConstraint c : constraints) b.append(" then ").append(c.describe());
        return b.toString();
    }
}
