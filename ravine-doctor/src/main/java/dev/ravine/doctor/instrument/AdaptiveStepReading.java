package dev.ravine.doctor.instrument;

/**
 * The distribution of an adaptive optimizer's per-parameter step sizes at one reading: the effective learning rate of
 * each coordinate, lr / P (Adam: lr / (sqrt(v_hat) + eps), the factor that multiplies the bias-corrected momentum), and
 * of the second-moment estimate P is built from (Adam: v_hat, the bias-corrected second moment). Quantiles over a fixed, evenly strided sample of coordinates (at most
 * {@link AdaptiveSteps#SAMPLE}), so a reading costs the same whatever the model size. Note 000's failure shows here: v
 * decays on quiet directions, their effective steps grow, and the next gradient on them takes a huge step.
 */
public record AdaptiveStepReading(double stepMedian, double stepP99, double stepMax, double vMedian, double vMin, int sampled) {}
