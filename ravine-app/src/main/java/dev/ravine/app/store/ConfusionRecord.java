package dev.ravine.app.store;

/**
 * A finished classification run's confusion matrix, as run.db keeps it for the report's per-class section.
 *
 * @param data       which held-out set it is of: test, else validation
 * @param checkpoint the weights it is of (a path in the run folder, or "the final weights")
 * @param counts     counts[true class][predicted class]
 */
public record ConfusionRecord(String data, String checkpoint, long[][] counts) {}
