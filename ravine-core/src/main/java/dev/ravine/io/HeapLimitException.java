package dev.ravine.io;

/**
 * A model or data set that would not fit in the Java heap, refused before it was allocated (see {@link HeapBudget}).
 * An argument error: the input is too large for the heap given, and the command reports it as bad input.
 */
public final class HeapLimitException extends IllegalArgumentException {
    public HeapLimitException(String message) {
        super(message);
    }
}
