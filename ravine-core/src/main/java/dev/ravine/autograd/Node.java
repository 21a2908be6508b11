package dev.ravine.autograd;

import dev.ravine.tensor.Tensor;

/** One entry of the tape: the operation that produced a tensor, its inputs, and its local derivative. */
public record Node(String op, Tensor[] inputs, BackwardFunction backward) {}
