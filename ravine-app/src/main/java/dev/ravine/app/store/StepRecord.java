package dev.ravine.app.store;

/**
 * One row of run.db's {@code steps}: epoch and batch count from 1; a step whose loss was NaN/Inf has loss NaN and batch 0.
 */
public record StepRecord(long step, int epoch, int batch, double loss, double accuracy, double lrScale) {}
