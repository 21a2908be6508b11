package dev.ravine.tensor;

/** out[i] = in[indices[i]] over flat row-major indices; the adjoint scatters and adds. Used by max and max-pooling. */
public record GatherMap(int[] inShape, int[] indices, int[] outShape) implements LinearMap {
    public GatherMap {
        if (indices.length != Shape.numel(outShape)) {
            throw new TensorShapeException("gather: " + indices.length + " indices for output shape " + Shape.str(outShape));
        }
        // One branch-free pass for the range (this runs on every max-pooling step), then a search only on failure.
        int n = Shape.numel(inShape), min = 0, max = -1;
        if (indices.length > 0) min = max = indices[0];
        for (int i : indices) {
            min = Math.min(min, i);
            max = Math.max(max, i);
        }
        if (min < 0 || max >= n) {
            int bad = min < 0 ? min : max;
            throw new TensorShapeException("gather index " + bad + " out of range for " + n + " values");
        }
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
