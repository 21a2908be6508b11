package dev.ravine.optim;

/**
 * A step applied to a parameter's values after the optimizer added its update (a projection or proximal step):
 * {@link ProximalL1} (soft-thresholding), {@link MaxNorm}. Registered with {@link Optimizer#addConstraint}; they run
 * in order, only on parameters that had a gradient this step, and the optimizer's last update then records the
 * total change (update plus constraint).
 */
public interface ParamConstraint {
    /**
     * @param name the parameter's name
     * @param shape the parameter's shape
     * @param values the parameter's values after the update, changed in place
     * @param lr the step's effective learning rate ({@link Optimizer#learningRate()})
     */
    void apply(String name, int[] shape, float[] values, double lr);

    String describe();

    /** The parameters regularizers act on by default: weights (rank >= 2), not biases or normalization gains (rank 1). */
    static boolean isWeight(String name, int[] shape) {
        return shape.length >= 2;
    }
}
