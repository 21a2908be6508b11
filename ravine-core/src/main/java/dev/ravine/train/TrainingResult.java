package dev.ravine.train;

import java.util.List;

/** The outcome of {@link Trainer#fit}: status, counts, final metrics, speed and the per-epoch history. */
public record TrainingResult(TrainingStatus status, String reason, int epochs, long steps, double trainLoss, double valLoss,
                             double valAccuracy, double samplesPerSecond, double wallSeconds, List<EpochEvent> history) {}
