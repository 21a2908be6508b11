package dev.ravine.nn;

import dev.ravine.init.Init;
import dev.ravine.init.Initializer;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Shape;
import dev.ravine.tensor.Tensor;
import dev.ravine.tensor.TensorShapeException;

/** y = x W^T + b, with W [out, in] (PyTorch's layout and default initialization). */
public final class Linear extends Module {
    private final int inFeatures, outFeatures;
    private final Tensor weight, bias;

    public Linear(int inFeatures, int outFeatures, boolean withBias, Rng rng) {
        this(inFeatures, outFeatures, withBias, rng, null);
    }

    /** @param init the weight initializer, or null for PyTorch's default */
    public Linear(int inFeatures, int outFeatures, boolean withBias, Rng rng, Initializer init) {
        if (inFeatures <= 0 || outFeatures <= 0) {
            throw new IllegalArgumentException("linear needs positive sizes, got in=" + inFeatures + " out=" + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        weight = registerParameter("weight", Tensor.zeros(outFeatures, inFeatures));
        if (init == null) Init.pytorchDefaultWeight(weight, rng);
        else init.initialize(weight, rng);
        if (withBias) {
            bias = registerParameter("bias", Tensor.zeros(outFeatures));
            Init.pytorchDefaultBias(bias, inFeatures, rng);
        } else {
            bias = null;
        }
    }

    public Tensor weight() {
        return weight;
    }

    public Tensor bias() {
        return bias;
    }

    @Override
    protected Tensor forward(Tensor x) {
        if (x.size(-1) != inFeatures) {
            throw new TensorShapeException("linear expects " + inFeatures + " inputs, got " + x.size(-1) + " (input shape " + Shape.str(x.shape()) + ")");
        }
        Tensor y = x.matmul(weight.transpose(0, 1));
        return bias == null ? y : y.add(bias);
    }

    @Override
    public String kind() {
        return "linear";
    }

    @Override
    public int[] outputShape(int[] in) {
        if (in.length == 0 || in[in.length - 1] != inFeatures) {
            int got = in.length == 0 ? 0 : in[in.length - 1];
            throw new TensorShapeException("expects " + inFeatures + " inputs, got " + got + (in.length > 1 ? " (add a flatten layer before it?)" : ""));
        }
        int[] out = in.clone();
        out[out.length - 1] = outFeatures;
        return out;
    }
}
