package dev.ravine.doctor.instrument;

/**
 * The parameters of one layer (e.g. "2" for 2.weight and 2.bias) at one reading: L2 norms of the gradient, the
 * weights and the last update, and update/weight, the ratio whose healthy order of magnitude is about 1e-3
 * (Karpathy's rule of thumb; far below: learning rate too low, far above: too high). Norms are NaN when a value
 * is NaN or infinite.
 */
public record LayerReading(String layer, double gradNorm, double weightNorm, double updateNorm, double updateRatio, int nonFinite) {}
