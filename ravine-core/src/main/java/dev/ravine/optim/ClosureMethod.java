package dev.ravine.optim;

import dev.ravine.tensor.Tensor;
import java.util.Map;
import java.util.function.Supplier;

/**
 * An optimization method that evaluates the loss more than once per step (L-BFGS with its line search), so it cannot
 * be a {@link GradientTransform} of one gradient: its step takes a closure that zeroes the gradients, computes the
 * loss, calls backward and returns the loss, as torch.optim's {@code step(closure)}. {@link Optimizer} wraps one so the
 * trainer, checkpoints and the doctor treat it like any other optimizer.
 */
public interface ClosureMethod {
    /**
     * One step; returns the loss of the first closure evaluation (the loss before the step).
     *
     * @param lrScale multiplies the method's learning rate for this step (the trainer's repair control; 1 leaves it alone)
     */
    double step(Supplier<Tensor> closure, double lrScale);

    /** The learning rate before any scale. */
    double learningRate();

    /** The state's vectors, copied, by name; their sizes may change from step to step (a growing history). */
    Map<String, float[]> arrays();

    /** The state's scalars and counters, by name. */
    Map<String, Double> counters();

    /** Puts back a state read with {@link #arrays()} and {@link #counters()}; IllegalArgumentException when it does not fit. */
    void restore(Map<String, float[]> arrays, Map<String, Double> counters);

    String describe();
}
