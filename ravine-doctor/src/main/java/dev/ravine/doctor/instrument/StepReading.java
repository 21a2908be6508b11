package dev.ravine.doctor.instrument;

import java.util.List;

/**
 * Everything the instruments read at one step; {@code full} is false on loss-only steps (layers empty) and on a step the
 * optimizer refused for non-finite gradients (layers hold gradient and weight norms only). {@code adaptive}
 * is the step-size distribution on full readings of adaptive runs (Adam, RMSprop, Adagrad, ...), else null.
 */
public record StepReading(long step, int epoch, double loss, boolean full, double globalGradNorm, List<LayerReading> layers,
                          List<ActivationReading> activations, AdaptiveStepReading adaptive) {
    /** A reading without adaptive step sizes (another optimizer, a loss-only step, or a stored run). */
    public StepReading(long step, int epoch, double loss, boolean full, double globalGradNorm, List<LayerReading> layers,
                       List<ActivationReading> activations) {
        this(step, epoch, loss, full, globalGradNorm, layers, activations, null);
    }
}
