package dev.ravine.pretrain;

/**
 * What one epoch of RBM training measured.
 *
 * @param epoch               counted from 1
 * @param reconstructionError mean over the epoch's samples of the squared error per visible unit between a sample
 *                            and its one-step reconstruction (taken with the weights of the batch's update)
 * @param trainFreeEnergy     the mean free energy of (up to) the first {@link RbmTrainer#MONITOR_SAMPLES} training
 *                            samples after the epoch
 * @param heldOutFreeEnergy   the same on held-out samples, or NaN without any; a train value falling ever further
 *                            below it means the RBM is overfitting (Hinton's guide, section 6)
 * @param seconds             the epoch's wall time
 */
public record RbmEpoch(int epoch, double reconstructionError, double trainFreeEnergy, double heldOutFreeEnergy,
                       double seconds) {}
