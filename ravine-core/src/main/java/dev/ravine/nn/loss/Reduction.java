package dev.ravine.nn.loss;

import dev.ravine.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How a loss turns its per-element values into the result, as torch's {@code reduction} argument: their mean, their
 * sum, or the values themselves (a tensor, for callers that weight or inspect samples; training needs a scalar).
 */
public enum Reduction {
    MEAN, SUM, NONE;

    public static final List<String> NAMES = Arrays.stream(values()).map(Reduction::id).toList();

    /** The config name: "mean", "sum", "none". */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Reduction parse(String id) {
        for (Reduction r : values()) if (r.id().equals(id)) return r;
        throw new IllegalArgumentException("unknown reduction '" + id + "'; valid: " + String.join(", ", NAMES));
    }

    /** Applies this reduction to element-wise losses (mean over all of them, as torch). */
    public Tensor apply(Tensor elementwise) {
        return switch (this) {
            case MEAN -> elementwise.mean();
            case SUM -> elementwise.sum();
            case NONE -> elementwise;
        };
    }
}
