package dev.ravine.nn;

import dev.ravine.autograd.FiniteCheck;
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
    private final Options options;
    /** padding: same: the extra row and column at the end that an even spread kernel needs (0 or 1). */
    private final int extra;

    /**
     * torch's dilation (taps spaced by it), groups (input channels and outputs split into that many blocks; groups =
     * in is a depthwise convolution) and padding='same' (stride 1 only; the output keeps the input's size, an odd pixel
     * of padding going to the bottom and right, as torch).
     */
    public record Options(int dilation, int groups, boolean samePadding) {
        public static final Options DEFAULT = new Options(1, 1, false);
    }
    private final LayerWeight weight;
    private final Tensor bias;
    private static final boolean FUSE = fusionEnabled();

    /** The system property {@code ravine.fuse}: {@code true} (the default) or {@code false}, anything else an error. */
    static boolean fusionEnabled() {
        String value = System.getProperty("ravine.fuse", "true").trim();
        if (value.equals("true")) return true;
        if (value.equals("false")) return false;
        throw new IllegalArgumentException("system property ravine.fuse must be 'true' or 'false', got '" + value + "'");
    }

    public Conv2d(int inChannels, int outChannels, int kernel, int stride, int padding, boolean withBias, Rng rng, Initializer init) {
        this(inChannels, outChannels, kernel, stride, padding, withBias, rng, init, WeightForm.PLAIN);
    }

    public Conv2d(int inChannels, int outChannels, int kernel, int stride, int padding, boolean withBias, Rng rng, Initializer init,
            WeightForm form) {
        this(inChannels, outChannels, kernel, stride, padding, withBias, rng, init, form, Options.DEFAULT);
    }

    /** @param padding ignored when {@code options.samePadding()} */
    public Conv2d(int inChannels, int outChannels, int kernel, int stride, int padding, boolean withBias, Rng rng, Initializer init,
            WeightForm form, Options options) {
        if (inChannels <= 0 || outChannels <= 0 || kernel <= 0 || stride <= 0 || padding < 0) {
            throw new IllegalArgumentException("conv2d needs positive channels/kernel/stride and padding >= 0, got in=" + inChannels
                    + " out=" + outChannels + " kernel=" + kernel + " stride=" + stride + " padding=" + padding);
        }
        int groups = options.groups(), dilation = options.dilation();
        if (dilation < 1 || groups < 1 || inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException("conv2d needs dilation >= 1 and groups >= 1 dividing both in (" + inChannels + ") and out ("
                    + outChannels + "), got dilation " + dilation + " and groups " + groups);
        }
        if (options.samePadding() && stride != 1) {
            throw new IllegalArgumentException("padding: same needs stride 1 (as torch), got stride " + stride);
        }
        int span = dilation * (kernel - 1);
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = options.samePadding() ? span / 2 : padding;
        this.extra = options.samePadding() ? span - 2 * (span / 2) : 0;
        this.options = options;
        inChannels /= groups; // the weight's second axis and the fan-in are per group
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

    /** With padding: same, the extra row and column of zeros after the bottom and right edges (0 or 1; 0 otherwise). */
    public int extraPadding() {
        return extra;
    }

    public Options options() {
        return options;
    }

    @Override
    protected Tensor forward(Tensor x) {
        if (options.equals(Options.DEFAULT)) return Functional.conv2d(x, weight.compute(isTraining()), bias, stride, stride, padding, padding);
        return Functional.conv2d(x, weight.compute(isTraining()), bias, stride, padding, options.dilation(), options.groups(), extra);
    }

    /**
     * Whether {@link Sequential} may run this layer and the ReLU after it as one op ({@link #callWithRelu}): plain
     * options, no hooks on either layer, no finite check open (it names each op's layer), and not turned off with
     * {@code -Dravine.fuse=false} (for A/B measurements).
     */
    boolean fusesWith(Module next) {
        return FUSE && next instanceof Activation a && a.activation() == Activation.Kind.RELU && options.equals(Options.DEFAULT)
                && !hasForwardHooks() && !next.hasForwardHooks() && !FiniteCheck.isOn();
    }

    /** This layer and a ReLU as one op: the values and gradients of {@code call(x).relu()}, one pass fewer each way. */
    Tensor callWithRelu(Tensor x) {
        return Functional.conv2dRelu(x, weight.compute(isTraining()), bias, stride, stride, padding, padding);
    }

    @Override
    public String kind() {
        return "conv2d";
    }

    @Override
    public int[] outputShape(int[] in) {
        if (in.length != 3) throw new TensorShapeException("expects an input [channels, height, width], got " + Shape.str(in));
        if (in[0] != inChannels) throw new TensorShapeException("expects " + inChannels + " input channels, got " + in[0]);
        int span = options.dilation() * (kernel - 1) + 1; // the kernel's reach with its dilation
        if (in[1] + 2 * padding + extra < span || in[2] + 2 * padding + extra < span) {
            throw new TensorShapeException("kernel " + kernel + (span == kernel ? "" : " (dilated to " + span + ")") + " does not fit an input of "
                    + in[1] + "x" + in[2] + " with padding " + padding);
        }
        return new int[] {outChannels, Im2Col.outSize(in[1] + extra, span, stride, padding), Im2Col.outSize(in[2] + extra, span, stride, padding)};
    }
}
