package dev.ravine.doctor.instrument;

import java.util.List;

/** Everything the instruments read at one step; {@code full} is false on loss-only steps (layers empty). */
public record StepReading(long step, int epoch, double loss, boolean full, double globalGradNorm, List<LayerReading> layers,
                          List<ActivationReading> activations) {}
