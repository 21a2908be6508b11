package dev.ravine.optim;

import dev.ravine.autograd.GradMode;
import dev.ravine.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Named parameters and how they are updated: a {@link ChainOptimizer} runs a {@link GradientTransform} chain on one
 * gradient per step ({@link #step()}); a {@link ClosureOptimizer} runs a {@link ClosureMethod} (L-BFGS) that evaluates
 * the loss itself within a step ({@link #step(Supplier)}). Both keep the last update of every parameter (the doctor's
 * update/weight ratios), a learning-rate scale the trainer controls, a step count, post-update constraints, and a
 * state that checkpoints save and restore ({@link StateEncoding}).
 */
public abstract sealed class Optimizer permits ChainOptimizer, ClosureOptimizer {
    final List<String> names;
    final List<Tensor> params;
    final float[][] updates;
    private final List<ParamConstraint> constraints = new ArrayList<>();
    long step;
    double lrScale = 1.0;

    Optimizer(Map<String, Tensor> namedParams) {
        this.names = List.copyOf(namedParams.keySet());
        this.params = List.copyOf(namedParams.values());
        for (int i = 0; i < params.size(); i++) {
            if (!params.get(i).isDense()) throw new IllegalArgumentException("parameter " + names.get(i) + " is not a dense tensor");
        }
        this.updates = new float[params.size()][];
        for (int i = 0; i < updates.length; i++) updates[i] = new float[params.get(i).numel()];
    }

    /** The optimizer that applies {@code transform} to {@code namedParams}' gradients (see {@link OptimizerAssembly}). */
    public static Optimizer of(Map<String, Tensor> namedParams, GradientTransform transform) {
        return new ChainOptimizer(namedParams, transform);
    }

    /** The optimizer whose steps are {@code method}'s, given a closure (see {@link #step(Supplier)}). */
    public static Optimizer of(Map<String, Tensor> namedParams, ClosureMethod method) {
        return new ClosureOptimizer(namedParams, Objects.requireNonNull(method));
    }

    /**
     * One update from the gradients currently held by the parameters. A parameter whose gradient is null is skipped,
     * as torch.optim does: it does not move, its state does not advance, and its last update reads as zeros.
     */
    public abstract void step();

    /**
     * One step of a {@link ClosureMethod}: {@code closure} must zero the gradients, compute the loss, call backward and
     * return the loss tensor; it may be called several times. Returns the loss of the first call (before the step).
     */
    public abstract double step(Supplier<Tensor> closure);

    /** Whether steps need a closure that re-evaluates the loss ({@link #step(Supplier)}), as L-BFGS does. */
    public final boolean needsClosure() {
        return this instanceof ClosureOptimizer;
    }

    /** The current step's effective learning rate, the trainer's scale included. */
    public abstract double learningRate();

    /** The chain (empty for a closure method, which has none). */
    public abstract GradientTransform transform();

    /** The chain's state as typed per-link records (empty for a closure method: its state is in {@link #stateArrays()}). */
    public abstract TransformState state();

    abstract String describeMethod();

    abstract StateEncoding encoding();

    /**
     * Post-update steps (projections, proximal steps) run after the updates were added, in order; the last update of
     * each parameter then records the total change. See {@link ParamConstraint}.
     */
    public Optimizer addConstraint(ParamConstraint constraint) {
        constraints.add(Objects.requireNonNull(constraint));
        return this;
    }

    public List<ParamConstraint> constraints() {
        return List.copyOf(constraints);
    }

    void applyConstraints(float[][] values, boolean[] active) {
        if (constraints.isEmpty()) return;
        double lr = learningRate();
        try (var scope = GradMode.noGrad()) {
            for (int i = 0; i < values.length; i++) {
                if (!active[i]) continue;
                float[] w = values[i], u = updates[i];
                float[] before = w.clone();
                for (ParamConstraint c : constraints) c.apply(names.get(i), params.get(i).shape(), w, lr);
                for (int j = 0; j < w.length; j++) u[j] += w[j] - before[j];
            }
        }
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
        String method = describeMethod();
        if (constraints.isEmpty()) return method;
        StringBuilder b = new StringBuilder(method);
        for (ParamConstraint c : constraints) b.append(" then ").append(c.describe());
        return b.toString();
    }

    // ------------------------------------------------------------------ state, for checkpoints

    /** The state as flat, copied arrays, named as {@link StateEncoding} says. */
    public Map<String, float[]> stateArrays() {
        return encoding().arrays();
    }

    /** The counters, copied, named as {@link StateEncoding} says. */
    public Map<String, long[]> stateCounters() {
        return encoding().counters();
    }

    /**
     * Puts back a state read with {@link #stateArrays()} and {@link #stateCounters()}, adding a line to {@code problems}
     * for every entry that is missing, unexpected or of the wrong size.
     */
    public void restoreState(Map<String, float[]> arrays, Map<String, long[]> counters, List<String> problems) {
        encoding().restore(arrays, counters, problems);
    }
}
