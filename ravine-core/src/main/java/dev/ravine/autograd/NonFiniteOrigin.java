package dev.ravine.autograd;

/**
 * Where a NaN or infinity was first made, as a {@link FiniteCheck} saw it: the first value to turn non-finite from
 * values that were all finite (or, for {@link Phase#INPUT}, a non-finite value that entered from outside, a batch of
 * data or a weight).
 *
 * @param step      the training step the check was told it is in ({@link FiniteCheck#atStep}), 0 if never told
 * @param phase     forward op, backward of an op, an optimizer link or the weights' update, or an input
 * @param op        the op ({@code exp}, {@code matmul}, {@code cross_entropy}), the optimizer link's description, or
 *                  {@code w + update} for the update itself
 * @param scope     the name its caller gave the module whose forward recorded the op (null outside every module: the loss)
 * @param parameter the parameter involved: an input of the op, the one whose gradient or update turned non-finite;
 *                  null when none is
 * @param nonFinite how many values of the result are NaN or infinite
 * @param total     how many values the result has
 * @param detail    what the values were: input ranges, NaN versus infinity, in words
 */
public record NonFiniteOrigin(long step, Phase phase, String op, String scope, String parameter, int nonFinite, int total, String detail) {
    /** Which part of a step made the value. */
    public enum Phase {
        /** an op of the forward pass (the loss included) */
        FORWARD,
        /** the backward of an op: its input gradients are non-finite though the gradient it received was finite */
        BACKWARD,
        /** a link of the optimizer's chain, or the addition of the update to the weights */
        UPDATE,
        /** a non-finite value came in from outside the step's ops: the batch, or a weight already non-finite */
        INPUT;

        public String word() {
            return name().toLowerCase();
        }
    }
}
