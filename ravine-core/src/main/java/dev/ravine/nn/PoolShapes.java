package dev.ravine.nn;

import dev.ravine.nn.functional.Functional;
import dev.ravine.tensor.Shape;
import dev.ravine.tensor.TensorShapeException;

/** Shape rules shared by the pooling layers. */
final class PoolShapes {
    private PoolShapes() {}

    static void validate(String kind, int kernel, int stride, int padding) {
        if (kernel <= 0 || stride <= 0 || padding < 0 || padding * 2 > kernel) {
            throw new IllegalArgumentException(kind + " needs kernel > 0, stride > 0 and 0 <= padding <= kernel/2, got kernel="
                    + kernel + " stride=" + stride + " padding=" + padding);
        }
    }

    static int[] output(int[] in, int kernel, int stride, int padding, boolean ceilMode) {
        if (in.length != 3) throw new TensorShapeException("expects an input [channels, height, width], got " + Shape.str(in));
        if (in[1] + 2 * padding < kernel || in[2] + 2 * padding < kernel) {
            throw new TensorShapeException("window " + kernel + " does not fit an input of " + in[1] + "x" + in[2]);
        }
        return new int[] {in[0], Functional.poolOutSize(in[1], kernel, stride, padding, ceilMode),
                Functional.poolOutSize(in[2], kernel, stride, padding, ceilMode)};
    }
}
