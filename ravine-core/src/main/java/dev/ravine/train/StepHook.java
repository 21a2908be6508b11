package dev.ravine.train;

import dev.ravine.data.Batch;
import dev.ravine.data.BatchTransform;

/**
 * A change to what one training step computes, for the regularizers that act inside a step rather than on the loss
 * or the update: input noise and augmentation (a different batch), adversarial examples (a batch built from the
 * model's input gradients), weight noise (other weights for the forward and backward pass).
 *
 * <p>Hooks run in training steps only, never in {@link Trainer#evaluate}, in the order they were added. A hook draws
 * its randomness from (seed, epoch, batch index) rather than from a running generator, so a run resumed from a
 * checkpoint sees exactly the batches the uninterrupted run would have seen, with no state to save.
 */
public interface StepHook {
    /** The batch this step trains on instead of {@code batch}; called before the forward pass. */
    default Batch beforeForward(Trainer trainer, Batch batch, int epoch) {
        return batch;
    }

    /**
     * After the backward pass (or after a non-finite loss, when there is none), before listeners see the gradients
     * and before the optimizer updates the weights.
     */
    default void afterBackward(Trainer trainer) {}

    /** A hook that replaces each training batch by {@code transform}'s version of it. */
    static StepHook of(BatchTransform transform) {
        return new StepHook() {
            @Override
            public Batch beforeForward(Trainer trainer, Batch batch, int epoch) {
                return transform.apply(batch, epoch);
            }
        };
    }
}
