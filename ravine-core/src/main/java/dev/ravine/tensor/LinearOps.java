package dev.ravine.tensor;

import java.util.Arrays;

/** Applies a {@link LinearMap} (or its adjoint) as a recorded operation. */
public final class LinearOps {
    private LinearOps() {}

    public static Tensor apply(Tensor x, LinearMap map, boolean adjoint) {
        int[] expected = adjoint ? map.outShape() : map.inShape();
        int[] produced = adjoint ? map.inShape() : map.outShape();
        if (!Arrays.equals(x.shape, expected)) {
            throw new TensorShapeException(map.name() + (adjoint ? " adjoint" : "") + " expects shape " + Shape.str(expected) + ", got " + Shape.str(x.shape));
        }
        float[] out = new float[Shape.numel(produced)];
        if (adjoint) map.applyAdjoint(x.values(), out);
        else map.apply(x.values(), out);
        Tensor result = Tensor.of(out, produced);
        result.recordOp(map.name(), new Tensor[] {x}, g -> new Tensor[] {apply(g, map, !adjoint)});
        return result;
    }
}
