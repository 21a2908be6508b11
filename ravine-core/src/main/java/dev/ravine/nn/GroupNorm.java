package dev.ravine.nn;

import dev.ravine.tensor.Shape;
import dev.ravine.tensor.Tensor;
import dev.ravine.tensor.TensorShapeException;

/** Normalizes each group of channels of each sample (Wu and He, 2018), then a per-channel affine (1, 0 at init;
 * optional, torch's affine). */
public final class GroupNorm extends Module {
    private final int groups, channels;
    private final float eps;
    private final Tensor weight, bias;

    public GroupNorm(int groups, int channels, double eps) {
        this(groups, channels, eps, true);
    }

    /** @param affine torch's affine: false leaves out the per-channel weight and bias */
    public GroupNorm(int groups, int channels, double eps, boolean affine) {
        if (groups <= 0 || channels % groups != 0) {
            throw new IllegalArgumentException("groupnorm: " + channels + " channels cannot be split into " + groups + " groups");
        }
        this.groups = groups;
        this.channels = channels;
        this.eps = (float) eps;
        weight = affine ? registerParameter("weight", Tensor.ones(channels)) : null;
        bias = affine ? registerParameter("bias", Tensor.zeros(channels)) : null;
    }

    public int groups() {
        return groups;
    }

    public float eps() {
        return eps;
    }

    @Override
    protected Tensor forward(Tensor x) {
        int[] s = x.shape();
        if (s.length < 2 || s[1] != channels) {
            throw new TensorShapeException("groupnorm expects " + channels + " channels on axis 1, got shape " + Shape.str(s));
        }
        Tensor g = x.reshape(s[0], groups, -1);
        Tensor centered = g.sub(g.mean(2, true));
        Tensor var = centered.square().mean(2, true);
        Tensor normalized = centered.div(var.add(eps).sqrt()).reshape(s);
        if (weight == null) return normalized;
        int[] bshape = new int[s.length];
        java.util.Arrays.fill(bshape, 1);
        bshape[1] = channels;
        return normalized.mul(weight.reshape(bshape)).add(bias.reshape(bshape));
    }

    @Override
    public String kind() {
        return "groupnorm";
    }

    @Override
    public int[] outputShape(int[] in) {
        if (in.length == 0 || in[0] != channels) throw new TensorShapeException("expects " + channels + " channels, got " + Shape.str(in));
        return in;
    }
}
