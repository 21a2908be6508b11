package dev.ravine.tensor;

/** out[i] = in[indices[i]] over flat row-major indices; the adjoint scatters and adds. Used by max and max-pooling. */
public record GatherMap(int[] inShape, int[] indices, int[] outShape) implements LinearMap {
    public GatherMap {
        if (indices.length != Shape.numel(outShape)) {
            throw new TensorShapeException("gather: " + indices.length + " indices for output shape " + Shape.str(outShape));
        }
        int n = Shape.numel(inShape);
        for (int i : indices) if (i < 0 || i >= n) throw new TensorShapeException("gather index " + i + " out of range for " + n + " values");
    }

    @Override
    public void apply(float[] in, float[] out) {
        for (int i = 0; i < indices.length; i++) out[i] = in[indices[i]];
    }

    @Override
    public void applyAdjoint(float[] out, float[] in) {
        for (int i = 0; i < indices.length; i++) in[indices[i]] += out[i];
    }
}
