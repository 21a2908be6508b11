package dev.ravine.nn;

import dev.ravine.nn.functional.Functional;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Shape;
import dev.ravine.tensor.Tensor;
import dev.ravine.tensor.TensorShapeException;
import java.util.Arrays;

/**
 * torch.nn.Embedding: a table [numEmbeddings, dim] of trained vectors, looked up by integer token. The input holds the
 * tokens as floats (every Ravine tensor is float32, exact for integers below 2^24), any shape, and each must be a
 * whole number in [0, numEmbeddings); the output appends the dim axis. The weights start N(0, 1) as torch's; with a
 * {@code paddingIdx} that row starts at zero and gets no gradient, so a padding token stays a zero vector.
 */
public final class Embedding extends Module {
    private final int numEmbeddings, dim;
    private final Integer paddingIdx;
    private final Tensor weight;

    /** @param paddingIdx the padding token, or null for none */
    public Embedding(int numEmbeddings, int dim, Integer paddingIdx, Rng rng) {
        if (numEmbeddings <= 0 || dim <= 0) {
            throw new IllegalArgumentException("embedding needs positive num_embeddings and dim, got " + numEmbeddings + " and " + dim);
        }
        if (paddingIdx != null && (paddingIdx < 0 || paddingIdx >= numEmbeddings)) {
            throw new IllegalArgumentException("padding_idx " + paddingIdx + " is not a token in [0, " + numEmbeddings + ")");
        }
        this.numEmbeddings = numEmbeddings;
        this.dim = dim;
        this.paddingIdx = paddingIdx;
        Tensor w = Tensor.normal(rng, 0f, 1f, numEmbeddings, dim);
        if (paddingIdx != null) Arrays.fill(w.storage(), paddingIdx * dim, (paddingIdx + 1) * dim, 0f);
        weight = registerParameter("weight", w);
    }

    public Tensor weight() {
        return weight;
    }

    @Override
    protected Tensor forward(Tensor tokens) {
        return Functional.embedding(tokens, weight, paddingIdx == null ? -1 : paddingIdx);
    }

    @Override
    public String kind() {
        return "embedding";
    }

    @Override
    public int[] outputShape(int[] in) {
        if (in.length == 0 || in.length > 2) {
            throw new TensorShapeException("embedding expects token indices [sequence length] (or [rows, length]), got " + Shape.str(in));
        }
        int[] out = Arrays.copyOf(in, in.length + 1);
        out[in.length] = dim;
        return out;
    }
}
