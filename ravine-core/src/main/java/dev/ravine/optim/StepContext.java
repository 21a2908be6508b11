package dev.ravine.optim;

/**
 * What a transform may know about the step besides gradients: the step number (1 for the first update, as
 * PyTorch counts) and the trainer's learning-rate scale (1 unless the doctor or a user lowered it).
 */
public record StepContext(long step, double lrScale) {}
