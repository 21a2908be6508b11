package dev.ravine.tensor;

/** A tensor operation was given operands whose shapes do not fit; the message names both shapes. */
public final class TensorShapeException extends IllegalArgumentException {
    public TensorShapeException(String message) {
        super(message);
    }
}
