package dev.ravine.doctor.finding;

/**
 * One concrete fix, as a config change a person (or a repair) can apply, e.g. {@code optimizer.lr: 0.01 -> 0.003} or
 * {@code clip.global_norm: 1.0}, and why it helps, tied to the technique the notes describe.
 */
public record Remedy(String change, String why) {}
