package dev.ravine.nn;

import dev.ravine.tensor.Tensor;

/**
 * Sees each time step of a {@link Recurrent} layer's forward: the hidden state h_t of stacked layer {@code layer} at
 * time {@code step} (0-based) of {@code steps}. The state is a node of the graph being built, so a listener that wants
 * dL/dh_t after backward calls {@link Tensor#retainGrad()} on it (the doctor's through-time trace does). Listeners
 * only read: the forward's result is the same with or without them.
 */
@FunctionalInterface
public interface RecurrentStepListener {
    /** @param hidden h_t, [batch, hidden] */
    void onStep(Recurrent module, int layer, int step, int steps, Tensor hidden);
}
