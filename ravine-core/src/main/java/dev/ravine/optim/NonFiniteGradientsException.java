package dev.ravine.optim;

/**
 * Thrown by {@link ClipByGlobalNorm} with {@code errorIfNonfinite} when the gradients' total norm is NaN or infinite
 * (torch's clip_grad_norm_(error_if_nonfinite=True)). It is thrown before any update is written, so the weights are
 * those of the previous step; the trainer ends the step as non-finite instead of taking it.
 */
public final class NonFiniteGradientsException extends ArithmeticException {
    private final double totalNorm;

    public NonFiniteGradientsException(double totalNorm, String normType) {
        super("the total norm of order " + normType + " of the gradients is " + totalNorm + ", so they cannot be clipped;"
                + " to scale them by the non-finite norm anyway (every gradient becomes NaN, as in torch), set error_if_nonfinite: false");
        this.totalNorm = totalNorm;
    }

    /** The gradients' total norm that was not finite. */
    public double totalNorm() {
        return totalNorm;
    }
}
