package dev.ravine.data;

import dev.ravine.tensor.Tensor;

/**
 * One mini-batch of {@code b} samples, with its own freshly copied arrays (so a training step may keep or modify
 * them without affecting the data set).
 *
 * @param inputs        features, shape {@code [b, ...sampleShape]}
 * @param targets       for classification the class labels as floats, shape {@code [b]}; for regression the
 *                      targets, shape {@code [b, ...targetShape]}
 * @param labels        the class labels as ints (what a cross-entropy loss and accuracy want), or null for regression
 * @param index         position of this batch in its epoch, from 0; with the epoch it identifies the batch, so a
 *                      resumed run can restart at the next one
 * @param sampleIndices which samples of the data set the rows are, in row order
 */
public record Batch(Tensor inputs, Tensor targets, int[] labels, int index, int[] sampleIndices) {
    /** Number of samples in this batch (the last batch of an epoch may be smaller than the batch size). */
    public int size() {
        return sampleIndices.length;
    }
}
