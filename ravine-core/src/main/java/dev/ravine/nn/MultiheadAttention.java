package dev.ravine.nn;

import dev.ravine.init.Init;
import dev.ravine.nn.functional.Functional;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Shape;
import dev.ravine.tensor.Tensor;
import dev.ravine.tensor.TensorShapeException;

/**
 * Multi-head self-attention, torch.nn.MultiheadAttention(dim, heads, batch_first=True) applied as attn(x, x, x): the
 * input [batch, seq, dim] is projected to queries, keys and values by {@code in_proj_weight} [3 dim, dim] and
 * {@code in_proj_bias}, split into {@code heads} heads of dim / heads, each position attends to every position (or,
 * {@code causal}, to itself and earlier ones) with softmax(q k^T / sqrt(dim / heads)), dropout on those weights in
 * training, and the heads' outputs are concatenated and mapped by {@code out_proj}. Parameter names, layout and
 * initialization are torch's (xavier_uniform in_proj_weight, zero biases). Built from tensor operations only, so its
 * gradients of every order are exact (the doctor's Hessian-vector products reach it).
 */
public final class MultiheadAttention extends Module {
    private final int dim, heads;
    private final boolean causal;
    private final Tensor inProjWeight, inProjBias;
    private final Linear outProj;
    private final Dropout dropout;

    public MultiheadAttention(int dim, int heads, double dropout, boolean causal, Rng rng) {
        if (dim <= 0 || heads <= 0 || dim % heads != 0) {
            throw new IllegalArgumentException("attention needs heads that divide the embedding size, got dim " + dim + " and heads " + heads);
        }
        this.dim = dim;
        this.heads = heads;
        this.causal = causal;
        inProjWeight = registerParameter("in_proj_weight", Tensor.zeros(3 * dim, dim));
        Init.xavierUniform(inProjWeight, rng, 1.0);
        inProjBias = registerParameter("in_proj_bias", Tensor.zeros(3 * dim));
        outProj = registerModule("out_proj", new Linear(dim, dim, true, rng));
        Init.constant(outProj.namedParameters().get("bias"), 0);
        this.dropout = registerModule("attn_dropout", new Dropout(dropout, rng)); // registered, so eval() turns it off
    }

    public int heads() {
        return heads;
    }

    /** Whether each position attends only to itself and earlier ones. */
    public boolean causal() {
        return causal;
    }

    @Override
    protected Tensor forward(Tensor x) {
        if (x.dim() != 3 || x.size(2) != dim) {
            throw new TensorShapeException("attention expects [batch, seq, " + dim + "], got " + Shape.str(x.shape()));
        }
        int batch = x.size(0), seq = x.size(1), headDim = dim / heads;
        Tensor qkv = x.matmul(inProjWeight.transpose(0, 1)).add(inProjBias); // [batch, seq, 3 dim]
        Tensor q = splitHeads(qkv.slice(2, 0, dim), batch, seq, headDim);
        Tensor k = splitHeads(qkv.slice(2, dim, 2 * dim), batch, seq, headDim);
        Tensor v = splitHeads(qkv.slice(2, 2 * dim, 3 * dim), batch, seq, headDim);
        Tensor scores = q.matmul(k.transpose(-1, -2)).mul((float) (1 / Math.sqrt(headDim))); // [batch, heads, seq, seq]
        if (causal) scores = scores.add(causalMask(seq));
        Tensor weights = dropout.call(Functional.softmax(scores));
        Tensor out = weights.matmul(v).permute(0, 2, 1, 3).reshape(batch, seq, dim);
        return outProj.call(out);
    }

    /** [batch, seq, dim] -> [batch, heads, seq, headDim]. */
    private Tensor splitHeads(Tensor t, int batch, int seq, int headDim) {
        return t.reshape(batch, seq, heads, headDim).permute(0, 2, 1, 3);
    }

    /** -inf above the diagonal: position i attends to positions j <= i only. */
    private static Tensor causalMask(int seq) {
        float[] m = new float[seq * seq];
        for (int i = 0; i < seq; i++) for (int j = i + 1; j < seq; j++) m[i * seq + j] = Float.NEGATIVE_INFINITY;
        return Tensor.of(m, seq, seq);
    }

    @Override
    public String kind() {
        return "attention";
    }

    @Override
    public int[] outputShape(int[] in) {
        if (in.length != 2 || in[1] != dim) {
            throw new TensorShapeException("attention expects [sequence length, " + dim + "] (an embedding before it?), got " + Shape.str(in));
        }
        return in;
    }
}
