package dev.ravine.nn.functional;

import dev.ravine.tensor.LinearMap;

/**
 * Row lookup as a linear map of the table [rows, dim]: out[p, :] = table[tokens[p], :], and 0 where a position is
 * masked (token -1, the padding positions). The adjoint adds each output row into its table row, so the padding row
 * gets no gradient, to every order.
 */
record EmbeddingMap(int rows, int dim, int[] tokens, int[] outShape) implements LinearMap {
    @Override
    public int[] inShape() {
        return new int[] {rows, dim};
    }

    @Override
    public void apply(float[] in, float[] out) {
        for (int p = 0; p < tokens.length; p++) {
            if (tokens[p] >= 0) System.arraycopy(in, tokens[p] * dim, out, p * dim, dim);
        }
    }

    @Override
    public void applyAdjoint(float[] out, float[] in) {
        for (int p = 0; p < tokens.length; p++) {
            int t = tokens[p];
            if (t < 0) continue;
            int base = t * dim, from = p * dim;
            for (int d = 0; d < dim; d++) in[base + d] += out[from + d];
        }
    }

    @Override
    public String name() {
        return "embedding";
    }
}
