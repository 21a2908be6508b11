package dev.ravine.optim;

import dev.ravine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.regex.Pattern;

/**
 * Per-parameter-group settings (torch.optim's param_groups): each group is a predicate over parameter names and
 * shapes with its own chain (its own lr, weight decay, ...). A parameter belongs to the first group that selects it;
 * the rest use the default chain. The optimizer's transform ({@link #transform}) is {@code shared -> masked(group 1) -> ... ->
 * masked(default)}: {@code shared} links (gradient clipping) see all parameters, each group's chain only its own
 * ({@link Masked}). State arrays stay indexed by parameter and are namespaced per group by the chain ("1.0.exp_avg"),
 * so checkpoints save and restore them as for any optimizer.
 */
public final class ParamGroups {
    private ParamGroups() {}

    /** A group: a label for logs, which parameters, and their chain (learning-rate link included). */
    public record Group(String label, BiPredicate<String, int[]> selects, GradientTransform transform) {}

    /** Biases: parameters whose name ends with "bias". */
    public static final BiPredicate<String, int[]> BIAS = (name, shape) -> name.endsWith("bias");

    /** Normalization parameters: rank-1 parameters that are not biases (BatchNorm/LayerNorm gains). */
    public static final BiPredicate<String, int[]> NORM = (name, shape) -> shape.length <= 1 && !name.endsWith("bias");

    /** "bias", "norm", or otherwise a regular expression found anywhere in the parameter's name. */
    public static BiPredicate<String, int[]> matcher(String match) {
        return switch (match) {
            case "bias" -> BIAS;
            case "norm" -> NORM;
            default -> {
                Pattern p = Pattern.compile(match);
                yield (name, shape) -> p.matcher(name).find();
            }
        };
    }

    /** For each parameter, in order, the index of its group ({@code groups.size()} for the default group). */
    public static int[] assign(Map<String, Tensor> params, List<Group> groups) {
        int[] out = new int[params.size()];
        int i = 0;
        for (var e : params.entrySet()) {
            int g = 0;
            while (g < groups.size() && !groups.get(g).selects().test(e.getKey(), e.getValue().shape())) g++;
            out[i++] = g;
        }
        return out;
    }

    /** {@code shared -> masked(group 1) -> ... -> masked(rest)} for {@code params}. */
    public static GradientTransform transform(Map<String, Tensor> params, List<GradientTransform> shared, List<Group> groups, GradientTransform rest) {
        int[] assigned = assign(params, groups);
        List<GradientTransform> links = new ArrayList<>(shared);
        for (int g = 0; g <= groups.size(); g++) {
            boolean[] mask = new boolean[assigned.length];
            for (int i = 0; i < mask.length; i++) mask[i] = assigned[i] == g;
            links.add(new Masked(g < groups.size() ? groups.get(g).transform() : rest, mask));
        }
        return new Chain(links);
    }
}
