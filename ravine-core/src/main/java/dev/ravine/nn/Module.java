package dev.ravine.nn;

import dev.ravine.autograd.FiniteCheck;
import dev.ravine.tensor.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A layer or a network: owns named parameters (trained), buffers (state such as running statistics) and child
 * modules. Names are dotted paths ({@code 3.weight}, {@code block.1.bias}) so every report can say which layer.
 * Call a module with {@link #call}, which runs {@link #forward} and then the forward hooks.
 */
public abstract class Module {
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private final List<ForwardHook> hooks = new ArrayList<>();
    private boolean training = true;

    /** The computation of this module; callers use {@link #call} so hooks see the output. */
    protected abstract Tensor forward(Tensor input);

    public final Tensor call(Tensor input) {
        boolean checked = FiniteCheck.enter(this); // the ops below are this layer's, for the doctor's NaN replay
        Tensor out;
        try {
            out = forward(input);
        } finally {
            if (checked) FiniteCheck.exit();
        }
        for (ForwardHook hook : hooks) hook.onForward(this, input, out);
        return out;
    }

    /** A short lower-case kind for messages and reports ("linear", "conv2d", "relu"). */
    public abstract String kind();

    /** Output shape (without the batch axis) for an input of the given shape, validated, before any data flows. */
    public abstract int[] outputShape(int[] inputShape);

    protected final Tensor registerParameter(String name, Tensor value) {
        value.requiresGrad(true);
        parameters.put(name, value);
        return value;
    }

    protected final Tensor registerBuffer(String name, Tensor value) {
        buffers.put(name, value);
        return value;
    }

    protected final <M extends Module> M registerModule(String name, M module) {
        children.put(name, module);
        return module;
    }

    /** Every parameter of this module and its descendants, by dotted name, in registration order. */
    public final Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Module> e : namedModules().entrySet()) {
            String prefix = e.getKey().isEmpty() ? "" : e.getKey() + ".";
            for (Map.Entry<String, Tensor> p : e.getValue().parameters.entrySet()) out.put(prefix + p.getKey(), p.getValue());
        }
        return out;
    }

    public final Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Module> e : namedModules().entrySet()) {
            String prefix = e.getKey().isEmpty() ? "" : e.getKey() + ".";
            for (Map.Entry<String, Tensor> p : e.getValue().buffers.entrySet()) out.put(prefix + p.getKey(), p.getValue());
        }
        return out;
    }

    /** This module (name "") and all descendants, pre-order, walked without recursion. */
    public final Map<String, Module> namedModules() {
        Map<String, Module> out = new LinkedHashMap<>();
        ArrayDeque<Map.Entry<String, Module>> stack = new ArrayDeque<>();
        stack.push(Map.entry("", this));
        while (!stack.isEmpty()) {
            Map.Entry<String, Module> e = stack.pop();
            out.put(e.getKey(), e.getValue());
            List<Map.Entry<String, Module>> kids = new ArrayList<>(e.getValue().children.entrySet());
            Collections.reverse(kids);
            for (Map.Entry<String, Module> k : kids) {
                String name = e.getKey().isEmpty() ? k.getKey() : e.getKey() + "." + k.getKey();
                stack.push(Map.entry(name, k.getValue()));
            }
        }
        return out;
    }

    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    public final List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    public final long parameterCount() {
        long n = 0;
        for (Tensor p : namedParameters().values()) n += p.numel();
        return n;
    }

    /** Training mode (dropout active, batch statistics) or inference mode; applies to all descendants. */
    public final Module train(boolean on) {
        for (Module m : namedModules().values()) m.training = on;
        return this;
    }

    public final Module eval() {
        return train(false);
    }

    public final boolean isTraining() {
        return training;
    }

    public final void zeroGrad() {
        for (Tensor p : namedParameters().values()) p.setGrad(null);
    }

    /** Whether a forward hook watches this module (then its output must be its own tensor, not fused away). */
    final boolean hasForwardHooks() {
        return !hooks.isEmpty();
    }

    /** Adds a hook to this module only; returns a handle that removes it. */
    public final Runnable addForwardHook(ForwardHook hook) {
        hooks.add(hook);
        return () -> hooks.remove(hook);
    }

    @Override
    public String toString() {
        return kind();
    }
}
