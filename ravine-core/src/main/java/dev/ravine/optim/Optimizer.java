package dev.ravine.optim;

import dev.ravine.autograd.GradMode;
import dev.ravine.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Applies a {@link GradientTransform} chain to named parameters: gradients in, parameters updated in place. It
 * keeps the last update of every parameter (the doctor's update/weight ratios) and a learning-rate scale the
 * trainer controls. It can instead wrap a {@link ClosureMethod} (L-BFGS), which evaluates the loss itself within a
 * step: then {@link #needsClosure()} is true and {@link #step(Supplier)} is the step; everything else (updates, scale,
 * state for checkpoints, constraints) works the same.
 */
public final class Optimizer {
    private final List<String> names;
    private final List<Tensor> params;
    private final GradientTransform transform;
    private final TransformState state;
    private final float[][] updates;
    private final List<ParamConstraint> constraints = new ArrayList<>();
    private final ClosureMethod closureMethod;
    private long step;
    private double lrScale = 1.0;

    public Optimizer(Map<String, Tensor> namedParams, GradientTransform transform) {
        this(namedParams, transform, null);
    }

    /** An optimizer whose steps are {@code method}'s, given a closure (see {@link #step(Supplier)}). */
    public Optimizer(Map<String, Tensor> namedParams, ClosureMethod method) {
        this(namedParams, new Chain(List.of()), java.util.Objects.requireNonNull(method));
    }

    private Optimizer(Map<String, Tensor> namedParams, GradientTransform transform, ClosureMethod closureMethod) {
        this.closureMethod = closureMethod;
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
        if (closureMethod != null) {
            throw new IllegalStateException(closureMethod.describe() + " evaluates the loss several times per step: call step(closure)");
        }
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

    /** Whether steps need a closure that re-evaluates the loss ({@link #step(Supplier)}), as L-BFGS does. */
    public boolean needsClosure() {
        return closureMethod != null;
    }

    /**
     * One step of a {@link ClosureMethod}: {@code closure} must zero the gradients, compute the loss, call backward and
     * return the loss tensor; it may be called several times. Returns the loss of the first call (before the step).
     * Every parameter counts as active; the last update of each is the change the whole step made.
     */
    public double step(Supplier<Tensor> closure) {
        if (closureMethod == null) throw new IllegalStateException(transform.describe() + " takes one gradient per step: call step()");
        float[][] values = new float[params.size()][];
        for (int i = 0; i < params.size(); i++) {
            values[i] = params.get(i).storage();
            System.arraycopy(values[i], 0, updates[i], 0, updates[i].length);
        }
        double loss;
        try {
            loss = closureMethod.step(closure, lrScale);
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
        if (!constraints.isEmpty()) {
            try (var scope = GradMode.noGrad()) {
                applyConstraints(values, active);
            }
        }
        return loss;
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
        if (closureMethod != null) return closureMethod.learningRate() * lrScale;
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
        String method = closureMethod != null ? closureMethod.describe() : transform.describe();
        if (constraints.isEmpty()) return method;
        StringBuilder b = new StringBuilder(method);
        for (ParamConstraint c : constraints) b.append(" then ").append(c.describe());
        return b.toString();
    }

    // ------------------------------------------------------------------ state, for checkpoints

    /** Prefix of a closure method's state entries in {@link #stateArrays()} and {@link #stateCounters()}. */
    private static final String CLOSURE_PREFIX = "closure:";

    /**
     * The state as flat, copied arrays: each per-parameter buffer of the chain as {@code name/index}, or a closure
     * method's vectors as {@code closure:name}.
     */
    public Map<String, float[]> stateArrays() {
        Map<String, float[]> out = new LinkedHashMap<>();
        if (closureMethod != null) {
            for (var e : closureMethod.arrays().entrySet()) out.put(CLOSURE_PREFIX + e.getKey(), e.getValue().clone());
            return out;
        }
        for (var e : state.arrays().entrySet()) {
            float[][] perParam = e.getValue();
            for (int i = 0; i < perParam.length; i++) out.put(e.getKey() + "/" + i, perParam[i].clone());
        }
        return out;
    }

    /** The counters, copied; a closure method's (double) scalars as their raw IEEE bits, so they round-trip exactly. */
    public Map<String, long[]> stateCounters() {
        Map<String, long[]> out = new LinkedHashMap<>();
        if (closureMethod != null) {
            for (var e : closureMethod.counters().entrySet()) {
                out.put(CLOSURE_PREFIX + e.getKey(), new long[] {Double.doubleToRawLongBits(e.getValue())});
            }
            return out;
        }
        for (var e : state.counters().entrySet()) out.put(e.getKey(), e.getValue().clone());
        return out;
    }

    /**
     * Puts back a state read with {@link #stateArrays()} and {@link #stateCounters()}, adding a line to {@code problems}
     * for every entry that is missing, unexpected or of the wrong size (and changing nothing for a closure method then).
     */
    public void restoreState(Map<String, float[]> arrays, Map<String, long[]> counters, List<String> problems) {
        if (closureMethod != null) {
            restoreClosureState(arrays, counters, problems);
            return;
        }
        Map<String, float[]> target = new LinkedHashMap<>();
        for (var e : state.arrays().entrySet()) {
            for (int i = 0; i < e.getValue().length; i++) target.put(e.getKey() + "/" + i, e.getValue()[i]);
        }
        for (var e : target.entrySet()) {
            float[] src = arrays.get(e.getKey());
            if (src == null) problems.add("missing optimizer state '" + e.getKey() + "'");
            else if (src.length != e.getValue().length) {
                problems.add("optimizer state '" + e.getKey() + "' has " + src.length + " values in the checkpoint, " + e.getValue().length + " here");
            } else System.arraycopy(src, 0, e.getValue(), 0, src.length);
        }
        for (String k : arrays.keySet()) if (!target.containsKey(k)) problems.add("unexpected optimizer state '" + k + "' (was it made with another optimizer?)");
        Map<String, long[]> targetCounters = state.counters();
        for (var e : targetCounters.entrySet()) {
            long[] saved = counters.get(e.getKey());
            if (saved == null) problems.add("optimizer counter '" + e.getKey() + "' is missing from the checkpoint (was it made with another optimizer?)");
            else if (saved.length != e.getValue().length) problems.add("optimizer counter '" + e.getKey() + "' has " + saved.length + " values, expected " + e.getValue().length);
            else System.arraycopy(saved, 0, e.getValue(), 0, saved.length);
        }
        for (String k : counters.keySet()) {
            if (!targetCounters.containsKey(k)) problems.add("unexpected optimizer counter '" + k + "' (was it made with another optimizer?)");
        }
    }

    private void restoreClosureState(Map<String, float[]> arrays, Map<String, long[]> counters, List<String> problems) {
        int before = problems.size();
        Map<String, float[]> a = new LinkedHashMap<>();
        for (var e : arrays.entrySet()) {
            if (e.getKey().startsWith(CLOSURE_PREFIX)) a.put(e.getKey().substring(CLOSURE_PREFIX.length()), e.getValue().clone());
            else problems.add("unexpected optimizer state '" + e.getKey() + "' (was it made with another optimizer?)");
        }
        Map<String, Double> c = new LinkedHashMap<>();
        for (var e : counters.entrySet()) {
            if (e.getKey().startsWith(CLOSURE_PREFIX) && e.getValue().length == 1) {
                c.put(e.getKey().substring(CLOSURE_PREFIX.length()), Double.longBitsToDouble(e.getValue()[0]));
            } else problems.add("unexpected optimizer counter '" + e.getKey() + "' (was it made with another optimizer?)");
        }
        if (problems.size() > before) return;
        try {
            closureMethod.restore(a, c);
        } catch (IllegalArgumentException | NullPointerException ex) {
            problems.add("the checkpoint's " + closureMethod.describe() + " state does not fit: " + ex.getMessage());
        }
    }
}
