package dev.ravine.optim;

/**
 * A link that multiplies the updates by {@code -lr(step) * lrScale} ({@link ScaleByLearningRate}, the schedule
 * schedule package's schedules): how {@link Optimizer#learningRate()} finds the step's learning rate for
 * post-update constraints such as {@link ProximalL1}.
 */
public interface LearningRateLink {
    Schedule schedule();
}
