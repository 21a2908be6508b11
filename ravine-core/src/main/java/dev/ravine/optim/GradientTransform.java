package dev.ravine.optim;

import java.util.List;

/**
 * One link of an optimizer (optax's idea): {@code init} makes its state for the given parameter sizes, and
 * {@code update} turns the incoming updates (the gradients, for the first link) into outgoing updates, in place.
 * The optimizer finally adds the updates to the parameters. Clipping, weight decay, momentum, Adam's scaling and
 * the learning rate are all links of one chain.
 */
public interface GradientTransform {
    TransformState init(List<float[]> params);

    /**
     * @param updates per parameter, overwritten with the transformed updates
     * @param params per parameter, the current values (read-only here)
     */
    void update(float[][] updates, TransformState state, float[][] params, StepContext context);

    /** A short description with the hyper-parameters, for logs and reports. */
    String describe();
}
