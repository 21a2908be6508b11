package dev.ravine.autograd;

import dev.ravine.tensor.Tensor;

/**
 * The local derivative of one recorded operation: given the gradient of the output, return the gradient of each
 * input (null where an input needs none). It is written in tensor operations, so when the backward pass is itself
 * recorded the result is differentiable again; this is what makes exact Hessian-vector products possible.
 */
@FunctionalInterface
public interface BackwardFunction {
    Tensor[] apply(Tensor gradOutput);
}
