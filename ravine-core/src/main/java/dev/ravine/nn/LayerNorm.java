package dev.ravine.nn;

import dev.ravine.tensor.Shape;
import dev.ravine.tensor.Tensor;
import dev.ravine.tensor.TensorShapeException;
import java.util.Arrays;

/** Normalizes over the trailing {@code normalizedShape} axes of each sample (Ba et al., 2016), affine weight 1 / bias 0
 * (optional, torch's elementwise_affine). */
public final class LayerNorm extends Module {
    private final int[] normalizedShape;
    private final float eps;
    private final Tensor weight, bias;

    public LayerNorm(int[] normalizedShape, double eps) {
        this(normalizedShape, eps, true);
    }

    /** @param affine torch's elementwise_affine: false leaves out the weight and bias */
    public LayerNorm(int[] normalizedShape, double eps, boolean affine) {
        this.normalizedShape = normalizedShape.clone();
        this.eps = (float) eps;
        weight = affine ? registerParameter("weight", Tensor.ones(normalizedShape)) : null;
        bias = affine ? registerParameter("bias", Tensor.zeros(normalizedShape)) : null;
    }

    /** The trailing axes normalized over. */
    public int[] normalizedShape() {
        return normalizedShape.clone();
    }

    public float eps() {
        return eps;
    }

    @Override
    protected Tensor forward(Tensor x) {
        int k = normalizedShape.length;
        int[] s = x.shape();
        if (s.length < k || !Arrays.equals(Arrays.copyOfRange(s, s.length - k, s.length), normalizedShape)) {
            throw new TensorShapeException("layernorm expects trailing axes " + Shape.str(normalizedShape) + ", got shape " + Shape.str(s));
        }
        int[] axes = new int[k];
        for (int i = 0; i < k; i++) axes[i] = s.length - k + i;
        Tensor centered = x.sub(x.mean(axes, true));
        Tensor var = centered.square().mean(axes, true);
        Tensor normalized = centered.div(var.add(eps).sqrt());
        return weight == null ? normalized : normalized.mul(weight).add(bias);
    }

    @Override
    public String kind() {
        return "layernorm";
    }

    @Override
    public int[] outputShape(int[] in) {
        int k = normalizedShape.length;
        if (in.length < k || !Arrays.equals(Arrays.copyOfRange(in, in.length - k, in.length), normalizedShape)) {
            throw new TensorShapeException("expects trailing axes " + Shape.str(normalizedShape) + ", got " + Shape.str(in));
        }
        return in;
    }
}
