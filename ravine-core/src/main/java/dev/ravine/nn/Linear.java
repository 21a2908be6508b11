package dev.ravine.nn;

import dev.ravine.init.Init;
import dev.ravine.init.Initializer;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Shape;
import dev.ravine.tensor.Tensor;
import dev.ravine.tensor.TensorShapeException;

/**
 * y = x W^T + b, with W [out, in] (PyTorch's layout and default initialization). W is the parameter {@code weight},
 * or computed from a weight-normalized or spectrally normalized form ({@link WeightForm}).
 */
public final class Linear extends Module {
    private final int inFeatures, outFeatures;
    private final LayerWeight weight;
    private final Tensor bias;

    public Linear(int inFeatures, int outFeatures, boolean withBias, Rng rng) {
        this(inFeatures, outFeatures, withBias, rng, null);
    }

    /** @param init the weight initializer, or null for PyTorch's default */
    public Linear(int inFeatures, int outFeatures, boolean withBias, Rng rng, Initializer init) {
        this(inFeatures, outFeatures, withBias, rng, init, WeightForm.PLAIN);
    }

    /**
     * @param init the initializer of the weight (before it is reparametrized), or null for PyTorch's default
     * @param form how the applied weight is computed from the trained parameters
     */
    public Linear(int inFeatures, int outFeatures, boolean withBias, Rng rng, Initializer init, WeightForm form) {
        if (inFeatures <= 0 || outFeatures <= 0) {
            throw new IllegalArgumentException("linear needs positive sizes, got in=" + inFeatures + " out=" + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        Tensor initial = Tensor.zeros(outFeatures, inFeatures);
        if (init == null) Init.pytorchDefaultWeight(initial, rng);
        else init.initialize(initial, rng);
        weight = LayerWeight.create(form, this, initial, rng);
        if (withBias) {
            bias = registerParameter("bias", Tensor.zeros(outFeatures));
            Init.pytorchDefaultBias(bias, inFeatures, rng);
        } else {
            bias = null;
        }
    }

    /**
     * The trained weight parameter of a {@link WeightForm#PLAIN} layer; edits to it change the layer. A reparametrized
     * layer has no such parameter (writing into a computed weight would be silently lost), so this throws there: read
     * {@link #effectiveWeight()} or change the parameters of the stored form.
     */
    public Tensor weight() {
        return weight.parameter("linear", this);
    }

    /** The weight the layer applies in eval mode, for any {@link WeightForm} (computed, with autograd history). */
    public Tensor effectiveWeight() {
        return weight.compute(false);
    }

    public WeightForm weightForm() {
        return weight.form();
    }

    public Tensor bias() {
        return bias;
    }

    @Override
    protected Tensor forward(Tensor x) {
        if (x.size(-1) != inFeatures) {
            throw new TensorShapeException("linear expects " + inFeatures + " inputs, got " + x.size(-1) + " (input shape " + Shape.str(x.shape()) + ")");
        }
        Tensor y = x.matmul(weight.compute(isTraining()).transpose(0, 1));
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
