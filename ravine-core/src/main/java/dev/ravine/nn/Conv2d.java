package dev.ravine.nn;

import dev.ravine.init.Init;
import dev.ravine.init.Initializer;
import dev.ravine.kernel.Im2Col;
import dev.ravine.nn.functional.Functional;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Shape;
import dev.ravine.tensor.Tensor;
import dev.ravine.tensor.TensorShapeException;

/**
 * 2-D convolution (cross-correlation, as PyTorch), weight [out, in, kh, kw], with stride and zero padding. The weight
 * is the parameter {@code weight}, or computed from a weight-normalized or spectrally normalized form
 * ({@link WeightForm}; spectral norm views the weight as the matrix [out, in * kh * kw], as torch does).
 */
public final class Conv2d extends Module {
    private final int inChannels, outChannels, kernel, stride, padding;
    private final LayerWeight weight;
    private final Tensor bias;

    public Conv2d(int inChannels, int outChannels, int kernel, int stride, int padding, boolean withBias, Rng rng, Initializer init) {
        this(inChannels, outChannels, kernel, stride, padding, withBias, rng, init, WeightForm.PLAIN);
    }

    public Conv2d(int inChannels, int outChannels, int kernel, int stride, int padding, boolean withBias, Rng rng, Initializer init,
            WeightForm form) {
        if (inChannels <= 0 || outChannels <= 0 || kernel <= 0 || stride <= 0 || padding < 0) {
            throw new IllegalArgumentException("conv2d needs positive channels/kernel/stride and padding >= 0, got in=" + inChannels
                    + " out=" + outChannels + " kernel=" + kernel + " stride=" + stride + " padding=" + padding);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        Tensor initial = Tensor.zeros(outChannels, inChannels, kernel, kernel);
        if (init == null) Init.pytorchDefaultWeight(initial, rng);
        else init.initialize(initial, rng);
        weight = LayerWeight.create(form, this, initial, rng);
        if (withBias) {
            bias = registerParameter("bias", Tensor.zeros(outChannels));
            Init.pytorchDefaultBias(bias, inChannels * kernel * kernel, rng);
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
        return weight.parameter("conv2d", this);
    }

    /** The weight the layer applies in eval mode, for any {@link WeightForm} (computed, with autograd history). */
    public Tensor effectiveWeight() {
        return weight.compute(false);
    }

    public WeightForm weightForm() {
        return weight.form();
    }

    public int kernel() {
        return kernel;
    }

    public int stride() {
        return stride;
    }

    public int padding() {
        return padding;
    }

    @Override
    protected Tensor forward(Tensor x) {
        return Functional.conv2d(x, weight.compute(isTraining()), bias, stride, stride, padding, padding);
    }

    @Override
    public String kind() {
        return "conv2d";
    }

    @Override
    public int[] outputShape(int[] in) {
        if (in.length != 3) throw new TensorShapeException("expects an input [channels, height, width], got " + Shape.str(in));
        if (in[0] != inChannels) throw new TensorShapeException("expects " + inChannels + " input channels, got " + in[0]);
        if (in[1] + 2 * padding < kernel || in[2] + 2 * padding < kernel) {
            throw new TensorShapeException("kernel " + kernel + " does not fit an input of " + in[1] + "x" + in[2] + " with padding " + padding);
        }
        return new int[] {outChannels, Im2Col.outSize(in[1], kernel, stride, padding), Im2Col.outSize(in[2], kernel, stride, padding)};
    }
}
