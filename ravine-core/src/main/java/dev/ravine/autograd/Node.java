package dev.ravine.autograd;

import dev.ravine.tensor.Tensor;

/**
 * One entry of the tape: the operation that produced a tensor, its inputs, and its local derivative. {@code scope} is
 * the layer the op ran in when a {@link FiniteCheck} was open (so a non-finite backward can be named), else null.
 */
public record Node(String op, Tensor[] inputs, BackwardFunction backward, String scope) {
    public Node(String op, Tensor[] inputs, BackwardFunction backward) {
        this(op, inputs, backward, null);
    }
}
