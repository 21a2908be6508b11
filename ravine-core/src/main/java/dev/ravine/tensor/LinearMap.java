package dev.ravine.tensor;

/**
 * A fixed linear map between dense arrays, given with its exact adjoint. Convolution's im2col, pooling, gather and
 * slice padding are linear maps; their derivative is the adjoint and the adjoint's derivative is the map again,
 * so any operation built from them is differentiable to every order.
 */
public interface LinearMap {
    int[] inShape();

    int[] outShape();

    /** out = M in; {@code out} arrives zeroed. */
    void apply(float[] in, float[] out);

    /** in = M^T out; {@code in} arrives zeroed. */
    void applyAdjoint(float[] out, float[] in);

    default String name() {
        return getClass().getSimpleName();
    }
}
