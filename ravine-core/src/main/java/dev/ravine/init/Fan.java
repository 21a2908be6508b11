package dev.ravine.init;

import dev.ravine.tensor.TensorShapeException;

/**
 * Fan-in and fan-out of a weight, as torch.nn.init computes them: for [out, in] the fans are in and out; for a
 * convolution [out, in, k...] each is multiplied by the receptive field size.
 */
public record Fan(int in, int out) {
    public static Fan of(int[] shape) {
        if (shape.length < 2) {
            throw new TensorShapeException("fan in/out needs a weight with at least 2 axes, got " + java.util.Arrays.toString(shape));
        }
        int receptive = 1;
        for (int i = 2; i < shape.length; i++) receptive *= shape[i];
        return new Fan(shape[1] * receptive, shape[0] * receptive);
    }
}
