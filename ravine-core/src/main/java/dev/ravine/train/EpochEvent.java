package dev.ravine.train;

/** After each epoch's validation: means over the epoch's batches and the validation set (NaN when absent). */
public record EpochEvent(int epoch, long step, double trainLoss, double trainAccuracy, double valLoss, double valAccuracy,
                         double epochSeconds, double samplesPerSecond) {}
