package dev.ravine.train;

/** After each optimizer step: the global step (1-based), where in the data it was, and the batch's loss. */
public record BatchEvent(long step, int epoch, int batchIndex, int batchesPerEpoch, int batchSize, double loss, double accuracy,
                         double learningRateScale) {}
