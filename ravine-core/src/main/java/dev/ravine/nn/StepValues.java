package dev.ravine.nn;

import dev.ravine.tensor.Tensor;

/**
 * A recurrent step's tensor as the fused cell kernels read it: storage and offset of its row-major values, without a
 * copy when the tensor is a contiguous view (a slice of the previous step's output), with one otherwise.
 */
record StepValues(float[] data, int offset) {
    static StepValues of(Tensor t) {
        return t.isContiguous() ? new StepValues(t.storage(), t.offset()) : new StepValues(t.values(), 0);
    }
}
