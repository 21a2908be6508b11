package dev.ravine.doctor.instrument;

import dev.ravine.autograd.GradMode;
import dev.ravine.nn.Recurrent;
import dev.ravine.tensor.Tensor;

/**
 * The doctor's trace of a recurrent layer's gradient through time (note 003's vanishing gradient through time: the
 * product of T - 1 step Jacobians). While {@link #enable enabled}, each training forward keeps the first stacked layer's
 * hidden states at the first and the last time step, with their gradients retained, so that after backward
 * {@link #firstToLastRatio} tells how much of the error signal reaches the start of the sequence. It listens through
 * {@link Recurrent#addStepListener}; evaluation forwards (no grad) are not traced.
 */
public final class ThroughTimeTrace {
    private final Runnable detach;
    private boolean enabled;
    private Tensor firstHidden, lastHidden;

    private ThroughTimeTrace(Recurrent layer) {
        detach = layer.addStepListener((module, stackedLayer, step, steps, hidden) -> keep(stackedLayer, step, steps, hidden));
    }

    /** Attaches a trace to {@code layer}, disabled until {@link #enable}. */
    public static ThroughTimeTrace attach(Recurrent layer) {
        return new ThroughTimeTrace(layer);
    }

    /** Turns tracing on or off; either way forgets the last traced forward. */
    public void enable(boolean on) {
        enabled = on;
        firstHidden = lastHidden = null;
    }

    /** Stops listening to the layer. */
    public void detach() {
        enable(false);
        detach.run();
    }

    private void keep(int stackedLayer, int step, int steps, Tensor hidden) {
        if (!enabled || stackedLayer != 0 || !GradMode.isEnabled() || !hidden.requiresGrad()) return;
        if (step != 0 && step != steps - 1) return;
        hidden.retainGrad();
        if (step == 0) firstHidden = hidden;
        if (step == steps - 1) lastHidden = hidden;
    }

    /**
     * ||dL/dh_1|| / ||dL/dh_T|| for the first layer's hidden states of the last traced forward, after its backward; NaN
     * when nothing was traced or no gradient reached them.
     */
    public double firstToLastRatio() {
        if (firstHidden == null || lastHidden == null || firstHidden.grad() == null || lastHidden.grad() == null) return Double.NaN;
        return Math.sqrt(Norms.sumOfSquares(firstHidden.grad().values())) / Math.sqrt(Norms.sumOfSquares(lastHidden.grad().values()));
    }
}
