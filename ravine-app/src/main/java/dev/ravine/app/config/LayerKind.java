package dev.ravine.app.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.DoublePredicate;

/**
 * The layers a config may name, each with its options, their types, defaults and valid ranges: the schema of
 * {@code model.layers}, kept as data so that reading, checking and writing a config share one definition. Option
 * names and defaults follow torch.nn. An option whose default is null and that is not required is inferred when the
 * model is built ({@code in} from the running shape, a pool's {@code stride} from its kernel).
 */
public enum LayerKind {
    FLATTEN,
    LINEAR(Option.required("out"), Option.inferred("in"), Option.bool("bias", true), Option.initializer(),
            Option.bool("weight_norm", false), Option.bool("spectral_norm", false)),
    // padding: an integer, or same (stride 1: the output keeps the input's size, as torch's padding='same')
    CONV2D(Option.required("out"), Option.required("kernel"), Option.integer("stride", 1, 1),
            new Option("padding", Type.PADDING, 0, false, 0, null, null), Option.integer("dilation", 1, 1), Option.integer("groups", 1, 1),
            Option.inferred("in"), Option.bool("bias", true), Option.initializer(),
            Option.bool("weight_norm", false), Option.bool("spectral_norm", false)),
    MAXPOOL(Option.required("kernel"), Option.inferred("stride"), Option.integer("padding", 0, 0), Option.bool("ceil_mode", false)),
    AVGPOOL(Option.required("kernel"), Option.inferred("stride"), Option.integer("padding", 0, 0), Option.bool("ceil_mode", false),
            Option.bool("count_include_pad", true)),
    BATCHNORM(Option.number("eps", 1e-5, v -> v > 0, "a positive number"),
            Option.number("momentum", 0.1, v -> v >= 0 && v <= 1, "a number in [0, 1]"), Option.bool("affine", true),
            Option.bool("track_running_stats", true)),
    // Ioffe (2017); the step defaults are the schedule of the paper's experiments (see RenormSchedule)
    BATCHRENORM(Option.number("eps", 1e-5, v -> v > 0, "a positive number"),
            Option.number("momentum", 0.01, v -> v >= 0 && v <= 1, "a number in [0, 1]"),
            Option.number("r_max", 3, v -> v >= 1, "a number >= 1"), Option.number("d_max", 5, v -> v >= 0, "a number >= 0"),
            Option.integer("warmup_steps", 5_000, 0), Option.integer("r_max_steps", 40_000, 0),
            Option.integer("d_max_steps", 25_000, 0)),
    INSTANCENORM(Option.bool("affine", false), Option.bool("track_running_stats", false),
            Option.number("eps", 1e-5, v -> v > 0, "a positive number"),
            Option.number("momentum", 0.1, v -> v >= 0 && v <= 1, "a number in [0, 1]")),
    LAYERNORM(Option.number("eps", 1e-5, v -> v > 0, "a positive number"), Option.bool("affine", true)),
    GROUPNORM(Option.required("groups"), Option.number("eps", 1e-5, v -> v > 0, "a positive number"), Option.bool("affine", true)),
    DROPOUT(Option.number("p", 0.5, v -> v >= 0 && v < 1, "a probability in [0, 1)")),
    RELU,
    LEAKY_RELU(Option.number("slope", 0.01, v -> true, "a number")),
    ELU(Option.number("alpha", 1.0, v -> true, "a number")),
    GELU,
    SIGMOID,
    TANH,
    SOFTPLUS,
    SOFTMAX,
    RESIDUAL(Option.layers()),
    RNN(Option.required("hidden"), Option.integer("layers", 1, 1), Option.bool("return_sequences", false), Option.bool("bias", true),
            Option.bool("bidirectional", false), Option.number("dropout", 0.0, v -> v >= 0 && v < 1, "a probability in [0, 1)")),
    LSTM(Option.required("hidden"), Option.integer("layers", 1, 1), Option.bool("return_sequences", false), Option.bool("bias", true),
            Option.bool("bidirectional", false), Option.number("dropout", 0.0, v -> v >= 0 && v < 1, "a probability in [0, 1)"),
            new Option("forget_bias", Type.NUMBER, null, false, 0, Double::isFinite, "a number")),
    GRU(Option.required("hidden"), Option.integer("layers", 1, 1), Option.bool("return_sequences", false), Option.bool("bias", true),
            Option.bool("bidirectional", false), Option.number("dropout", 0.0, v -> v >= 0 && v < 1, "a probability in [0, 1)")),
    // token ids [seq] -> vectors [seq, dim]; the padding row starts at zero and gets no gradient (torch's padding_idx)
    EMBEDDING(Option.required("num_embeddings"), Option.required("dim"), new Option("padding_idx", Type.INT, null, false, 0, null, null)),
    ATTENTION(Option.required("heads"), Option.number("dropout", 0.0, v -> v >= 0 && v < 1, "a probability in [0, 1)"),
            Option.bool("causal", false)),
    // pre-norm encoder block; ff defaults to 4 * dim (as in Vaswani et al.), dropout to torch's 0.1
    TRANSFORMER(Option.required("heads"), Option.inferred("ff"), Option.number("dropout", 0.1, v -> v >= 0 && v < 1, "a probability in [0, 1)"),
            Option.bool("causal", false));

    /** How an option's value is written and checked. */
    public enum Type { INT, NUMBER, BOOL, INITIALIZER, LAYERS, PADDING }

    /**
     * One option of a layer.
     *
     * @param fallback the default (Integer, Double, Boolean or String), or null when required or inferred
     * @param min      the smallest valid integer (INT only)
     * @param valid    the rule for a NUMBER, described by {@code rule}
     */
    public record Option(String name, Type type, Object fallback, boolean required, int min, DoublePredicate valid, String rule) {
        static Option required(String name) {
            return new Option(name, Type.INT, null, true, 1, null, null);
        }

        static Option inferred(String name) {
            return new Option(name, Type.INT, null, false, 1, null, null);
        }

        static Option integer(String name, int fallback, int min) {
            return new Option(name, Type.INT, fallback, false, min, null, null);
        }

        static Option number(String name, double fallback, DoublePredicate valid, String rule) {
            return new Option(name, Type.NUMBER, fallback, false, 0, valid, rule);
        }

        static Option bool(String name, boolean fallback) {
            return new Option(name, Type.BOOL, fallback, false, 0, null, null);
        }

        static Option initializer() {
            return new Option("init", Type.INITIALIZER, "default", false, 0, null, null);
        }

        static Option layers() {
            return new Option("layers", Type.LAYERS, null, true, 0, null, null);
        }
    }

    private final List<Option> options;

    LayerKind(Option... options) {
        this.options = List.of(options);
    }

    /** The name used in configs: "linear", "leaky_relu". */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public List<Option> options() {
        return options;
    }

    public List<String> optionNames() {
        return options.stream().map(Option::name).toList();
    }

    public static List<String> ids() {
        return Arrays.stream(values()).map(LayerKind::id).toList();
    }

    /** The kind with this config name, or null. */
    public static LayerKind byId(String id) {
        for (LayerKind k : values()) if (k.id().equals(id)) return k;
        return null;
    }
}
