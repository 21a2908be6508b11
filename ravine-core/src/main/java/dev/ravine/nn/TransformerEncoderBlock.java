package dev.ravine.nn;

import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;

/**
 * A pre-norm transformer encoder block, torch.nn.TransformerEncoderLayer(dim, heads, ff, dropout, activation="gelu",
 * batch_first=True, norm_first=True):
 * <pre>
 *   x = x + dropout1(self_attn(norm1(x)))
 *   x = x + dropout2(linear2(dropout(gelu(linear1(norm2(x))))))
 * </pre>
 * on [batch, seq, dim], with torch's child names (self_attn, linear1, linear2, norm1, norm2), so weights and
 * checkpoints map one to one. Normalizing before each sublayer keeps the residual path an identity, which is what lets
 * deep stacks train without a warmup (Xiong et al., 2020).
 */
public final class TransformerEncoderBlock extends Module {
    private final int dim;
    private final MultiheadAttention attention;
    private final Linear linear1, linear2;
    private final LayerNorm norm1, norm2;
    private final Dropout dropout, dropout1, dropout2;

    public TransformerEncoderBlock(int dim, int heads, int feedForward, double dropout, boolean causal, Rng rng) {
        if (feedForward <= 0) throw new IllegalArgumentException("transformer needs a positive ff size, got " + feedForward);
        this.dim = dim;
        attention = registerModule("self_attn", new MultiheadAttention(dim, heads, dropout, causal, rng));
        linear1 = registerModule("linear1", new Linear(dim, feedForward, true, rng));
        linear2 = registerModule("linear2", new Linear(feedForward, dim, true, rng));
        norm1 = registerModule("norm1", new LayerNorm(new int[] {dim}, 1e-5));
        norm2 = registerModule("norm2", new LayerNorm(new int[] {dim}, 1e-5));
        this.dropout = registerModule("dropout", new Dropout(dropout, rng));
        dropout1 = registerModule("dropout1", new Dropout(dropout, rng));
        dropout2 = registerModule("dropout2", new Dropout(dropout, rng));
    }

    @Override
    protected Tensor forward(Tensor x) {
        Tensor h = x.add(dropout1.call(attention.call(norm1.call(x))));
        Tensor ff = linear2.call(dropout.call(Activation.apply(Activation.Kind.GELU, 0f, linear1.call(norm2.call(h)))));
        return h.add(dropout2.call(ff));
    }

    @Override
    public String kind() {
        return "transformer";
    }

    @Override
    public int[] outputShape(int[] in) {
        return attention.outputShape(in);
    }
}
