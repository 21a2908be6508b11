package dev.ravine.app.build;

import dev.ravine.app.config.ConfigException;
import dev.ravine.app.config.LayerConfig;
import dev.ravine.app.config.LayerKind;
import dev.ravine.init.Initializer;
import dev.ravine.io.HeapLimitException;
import dev.ravine.nn.Activation;
import dev.ravine.nn.AvgPool2d;
import dev.ravine.nn.BatchNorm;
import dev.ravine.nn.BatchRenorm;
import dev.ravine.nn.Conv2d;
import dev.ravine.nn.Dropout;
import dev.ravine.nn.Embedding;
import dev.ravine.nn.MultiheadAttention;
import dev.ravine.nn.TransformerEncoderBlock;
import dev.ravine.nn.Flatten;
import dev.ravine.nn.GroupNorm;
import dev.ravine.nn.Gru;
import dev.ravine.nn.InstanceNorm;
import dev.ravine.nn.LayerNorm;
import dev.ravine.nn.Linear;
import dev.ravine.nn.Lstm;
import dev.ravine.nn.MaxPool2d;
import dev.ravine.nn.Module;
import dev.ravine.nn.RenormSchedule;
import dev.ravine.nn.Recurrent;
import dev.ravine.nn.Residual;
import dev.ravine.nn.Rnn;
import dev.ravine.nn.Sequential;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a {@link Sequential} network from a layer list, one layer at a time, carrying the shape of one sample through
 * it with {@link Module#outputShape}: sizes a layer does not state (linear {@code in}, conv2d {@code in} channels) are
 * taken from the running shape, and a layer that cannot take its input fails before any data flows, with the layer's
 * key path and line: "model.layers[3] (linear): expects 784 inputs, got 3136 (config.yaml line 12)".
 *
 * <p>Weights are drawn from {@code rng} in layer order, so the same seed builds the same network.
 */
public final class ModelBuilder {
    private final Rng rng;
    private final List<LayerSummary> rows = new ArrayList<>();
    /** Parameters of the layers built so far, for the memory estimate of the next one. */
    private long allocated;

    private ModelBuilder(Rng rng) {
        this.rng = rng;
    }

    public static BuiltModel build(List<LayerConfig> layers, int[] inputShape, Rng rng) {
        ModelBuilder b = new ModelBuilder(rng);
        List<LayerConfig> resolved = new ArrayList<>();
        Block block = b.sequence(layers, inputShape, "", 0);
        resolved.addAll(block.resolved());
        return new BuiltModel(block.network(), resolved, List.copyOf(b.rows), inputShape.clone(), block.outputShape());
    }

    private record Block(Sequential network, List<LayerConfig> resolved, int[] outputShape) {}

    private Block sequence(List<LayerConfig> layers, int[] inputShape, String namePrefix, int depth) {
        Sequential seq = new Sequential();
        List<LayerConfig> resolved = new ArrayList<>();
        int[] shape = inputShape;
        for (int i = 0; i < layers.size(); i++) {
            LayerConfig layer = layers.get(i);
            String name = namePrefix + i;
            int row = rows.size();
            rows.add(null); // reserved: a residual block's row comes before its children's
            Built b = layer(layer, shape, name, depth);
            seq.add(b.module());
            resolved.add(b.resolved());
            long own = b.module() instanceof Residual ? ownParameters(b.module()) : b.module().parameterCount();
            allocated += own;
            rows.set(row, new LayerSummary(name, depth, b.module().kind(), b.outputShape(), own));
            shape = b.outputShape();
        }
        return new Block(seq, resolved, shape);
    }

    private record Built(Module module, LayerConfig resolved, int[] outputShape) {}

    private Built layer(LayerConfig c, int[] in, String name, int depth) {
        if (c.kind() == LayerKind.RESIDUAL) {
            Block inner = sequence(c.layers(), in, name + ".block.", depth + 1);
            Residual residual;
            try {
                residual = new Residual(inner.network(), in, rng);
            } catch (IllegalArgumentException e) {
                throw error(c, e.getMessage() + "; make the block keep the input shape or change it in a way a projection "
                        + "can follow (a feature count, or channels with an integer downsampling)", in);
            }
            return new Built(residual, c.withLayers(inner.resolved()), inner.outputShape());
        }
        LayerConfig resolved = c;
        Module module;
        try {
            module = switch (c.kind()) {
                case FLATTEN -> new Flatten();
                case LINEAR -> {
                    int inFeatures = c.integer("in") != null ? c.integer("in") : last(in);
                    resolved = c.with("in", inFeatures);
                    MemoryEstimate.requireParameters(allocated, MemoryEstimate.linear(inFeatures, c.integer("out"), c.flag("bias")), c);
                    yield new Linear(inFeatures, c.integer("out"), c.flag("bias"), rng, Initializer.byName(c.text("init")),
                            WeightForms.of(c));
                }
                case CONV2D -> {
                    if (c.integer("in") == null && in.length != 3) {
                        throw error(c, "expects an input [channels, height, width], got " + Shape.str(in)
                                + (in.length == 1 ? " (a flatten or linear layer before it?)" : ""), null);
                    }
                    int channels = c.integer("in") != null ? c.integer("in") : in[0];
                    resolved = c.with("in", channels);
                    MemoryEstimate.requireParameters(allocated,
                            MemoryEstimate.conv2d(channels, c.integer("out"), c.integer("kernel"), c.integer("groups"), c.flag("bias")), c);
                    boolean same = "same".equals(c.options().get("padding"));
                    yield new Conv2d(channels, c.integer("out"), c.integer("kernel"), c.integer("stride"), same ? 0 : c.integer("padding"),
                            c.flag("bias"), rng, Initializer.byName(c.text("init")), WeightForms.of(c),
                            new Conv2d.Options(c.integer("dilation"), c.integer("groups"), same));
                }
                case MAXPOOL, AVGPOOL -> {
                    int kernel = c.integer("kernel");
                    int stride = c.integer("stride") != null ? c.integer("stride") : kernel;
                    resolved = c.with("stride", stride);
                    yield c.kind() == LayerKind.MAXPOOL ? new MaxPool2d(kernel, stride, c.integer("padding"), c.flag("ceil_mode"))
                            : new AvgPool2d(kernel, stride, c.integer("padding"), c.flag("ceil_mode"), c.flag("count_include_pad"));
                }
                // [features] or [channels, length] is batchnorm1d, [channels, height, width] batchnorm2d, as in torch.nn
                case BATCHNORM -> BatchNorm.of(in[0], in.length == 3, c.number("eps"), c.number("momentum"), c.flag("affine"),
                        c.flag("track_running_stats"));
                case BATCHRENORM -> {
                    var schedule = new RenormSchedule(c.number("r_max"), c.number("d_max"), c.integer("warmup_steps"),
                            c.integer("r_max_steps"), c.integer("d_max_steps"));
                    yield in.length == 3 ? BatchRenorm.of2d(in[0], c.number("eps"), c.number("momentum"), schedule)
                            : BatchRenorm.of1d(in[0], c.number("eps"), c.number("momentum"), schedule);
                }
                // [channels, length] is instancenorm1d, [channels, height, width] instancenorm2d, as in torch.nn
                case INSTANCENORM -> {
                    if (in.length != 2 && in.length != 3) {
                        throw error(c, "expects an input [channels, length] or [channels, height, width], got " + Shape.str(in), null);
                    }
                    yield new InstanceNorm(in[0], in.length - 1, c.number("eps"), c.number("momentum"),
                            c.flag("affine"), c.flag("track_running_stats"));
                }
                // normalizes over the whole sample (all of its axes)
                case LAYERNORM -> new LayerNorm(in, c.number("eps"), c.flag("affine"));
                case GROUPNORM -> new GroupNorm(c.integer("groups"), in[0], c.number("eps"), c.flag("affine"));
                case DROPOUT -> new Dropout(c.number("p"), rng);
                case RELU -> new Activation(Activation.Kind.RELU);
                case LEAKY_RELU -> new Activation(Activation.Kind.LEAKY_RELU, c.number("slope"));
                case ELU -> new Activation(Activation.Kind.ELU, c.number("alpha"));
                case GELU -> new Activation(Activation.Kind.GELU);
                case SIGMOID -> new Activation(Activation.Kind.SIGMOID);
                case TANH -> new Activation(Activation.Kind.TANH);
                case SOFTPLUS -> new Activation(Activation.Kind.SOFTPLUS);
                case SOFTMAX -> new Activation(Activation.Kind.SOFTMAX);
                case RESIDUAL -> throw new IllegalStateException("handled above");
                case EMBEDDING -> new Embedding(c.integer("num_embeddings"), c.integer("dim"), c.integer("padding_idx"), rng);
                case ATTENTION, TRANSFORMER -> {
                    if (in.length != 2) {
                        throw error(c, "expects an input [sequence length, features], got " + Shape.str(in)
                                + (in.length == 1 ? " (an embedding before it?)" : ""), null);
                    }
                    int heads = c.integer("heads");
                    if (in[1] % heads != 0) throw error(c, "heads " + heads + " must divide the feature size " + in[1], in);
                    if (c.kind() == LayerKind.ATTENTION) yield new MultiheadAttention(in[1], heads, c.number("dropout"), c.flag("causal"), rng);
                    int ff = c.integer("ff") != null ? c.integer("ff") : 4 * in[1];
                    resolved = c.with("ff", ff);
                    yield new TransformerEncoderBlock(in[1], heads, ff, c.number("dropout"), c.flag("causal"), rng);
                }
                case RNN, LSTM, GRU -> {
                    if (in.length != 2) {
                        throw error(c, "expects an input [sequence length, features], got " + Shape.str(in), null);
                    }
                    int hidden = c.integer("hidden"), layers = c.integer("layers");
                    boolean sequences = c.flag("return_sequences"), bias = c.flag("bias");
                    int gates = c.kind() == LayerKind.LSTM ? 4 : c.kind() == LayerKind.GRU ? 3 : 1;
                    MemoryEstimate.requireParameters(allocated, MemoryEstimate.recurrent(in[1], hidden, layers, gates, bias, c.flag("bidirectional")), c);
                    Recurrent.Options options = new Recurrent.Options(c.flag("bidirectional"), c.number("dropout"));
                    yield switch (c.kind()) {
                        case RNN -> new Rnn(in[1], hidden, layers, sequences, bias, options, rng);
                        case LSTM -> {
                            Lstm lstm = new Lstm(in[1], hidden, layers, sequences, bias, options, rng);
                            Object forgetBias = c.options().get("forget_bias");
                            if (forgetBias != null && !bias) throw error(c, "forget_bias needs bias: true", null);
                            yield forgetBias == null ? lstm : lstm.withForgetBias(((Number) forgetBias).doubleValue());
                        }
                        default -> new Gru(in[1], hidden, layers, sequences, bias, options, rng);
                    };
                }
            };
            return new Built(module, resolved, module.outputShape(in));
        } catch (ConfigException | HeapLimitException e) {
            throw e;
        } catch (IllegalArgumentException e) { // TensorShapeException included
            throw error(c, e.getMessage(), in);
        }
    }

    private static int last(int[] shape) {
        return shape.length == 0 ? 0 : shape[shape.length - 1];
    }

    private static long ownParameters(Module residual) {
        Module projection = residual.children().get("projection");
        return projection == null ? 0 : projection.parameterCount();
    }

    private static ConfigException error(LayerConfig c, String message, int[] in) {
        String input = in == null || message.contains(Shape.str(in)) ? "" : "; its input has shape " + Shape.str(in);
        return new ConfigException(c.path() + " (" + c.kind().id() + "): " + message + input + " (" + c.origin().describe() + ")");
    }
}
