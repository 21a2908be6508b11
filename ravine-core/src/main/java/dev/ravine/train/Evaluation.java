package dev.ravine.train;

/** Loss and accuracy of a model over a whole data set (accuracy NaN for regression). */
public record Evaluation(double loss, double accuracy, int samples) {}
