package dev.ravine.app.config;

import dev.ravine.optim.ParamGroups;
import java.util.ArrayList;
import java.util.List;

/**
 * The optional optimization-toolbox sections (see examples/README.md):
 * <pre>
 * clip: {value: 1.0} | {global_norm: 1.0, p: 2, error_if_nonfinite: false} | {layer_norm: 1.0}      (p: a number or inf; default 2)
 * regularization: {l1: 0, l1_proximal: 0, l2: 0, max_norm: null, input_noise: 0, weight_noise: 0}
 * param_groups: [{match: bias | norm | REGEX, lr: ..., weight_decay: ...}]
 * </pre>
 * Clipping is the first link of the chain (before momentum or Adam); l1 and l2 are loss terms on the weights (rank >= 2
 * parameters); l1_proximal and max_norm are post-update steps on the weights. A parameter belongs to the first group
 * whose {@code match} selects it (bias: names ending in "bias"; norm: other rank-1 parameters; otherwise a regular
 * expression found in the name); a group's lr and weight_decay default to the optimizer's. input_noise and
 * weight_noise are the standard deviations of Gaussian noise added to the training inputs and, for each step's
 * forward and backward pass, to the weights ({@code GaussianInputNoise}, {@code WeightNoise}).
 *
 * @param clipKind null (no clipping), value, global_norm or layer_norm
 * @param clipErrorIfNonfinite global_norm only: refuse a step whose gradient norm is NaN/Inf (torch's error_if_nonfinite)
 */
public record ToolboxConfig(String clipKind, double clip, double clipP, boolean clipErrorIfNonfinite, double l1, double l1Proximal, double l2, Double maxNorm,
                            List<Group> groups, double inputNoise, double weightNoise) {
    public static final ToolboxConfig NONE = new ToolboxConfig(null, 0, 2, 0, 0, 0, null, List.of());
    static final List<String> CLIP_KEYS = List.of("value", "global_norm", "layer_norm", "p", "error_if_nonfinite");
    static final List<String> REGULARIZATION_KEYS = List.of("l1", "l1_proximal", "l2", "max_norm", "input_noise", "weight_noise");
    static final List<String> GROUP_KEYS = List.of("match", "lr", "weight_decay");

    /** A parameter group: null lr or weightDecay means the optimizer's. */
    public record Group(String match, Double lr, Double weightDecay) {}

    public ToolboxConfig {
        groups = List.copyOf(groups);
    }

    public ToolboxConfig(String clipKind, double clip, double clipP, double l1, double l1Proximal, double l2, Double maxNorm,
                         List<Group> groups) {
        this(clipKind, clip, clipP, false, l1, l1Proximal, l2, maxNorm, groups, 0, 0);
    }

    public boolean isEmpty() {
        return equals(NONE);
    }

    // ------------------------------------------------------------------ reading and writing

    static ToolboxConfig read(Section top, OptimizerConfig optimizer) {
        String clipKind = null;
        double clip = 0, p = 2;
        boolean errorIfNonfinite = false;
        Section c = top.section("clip");
        if (c != null) {
            c.allowOnly(CLIP_KEYS);
            List<String> given = new ArrayList<>();
            for (String k : List.of("value", "global_norm", "layer_norm")) if (c.has(k)) given.add(k);
            if (given.size() != 1) {
                c.problems().add(c.path(), "give exactly one of value, global_norm, layer_norm (e.g. 'clip: {global_norm: 1.0}'), got "
                        + (given.isEmpty() ? "none" : String.join(", ", given)), c.origin());
            } else {
                clipKind = given.getFirst();
                clip = c.number(clipKind, 1.0, v -> v > 0, "a number > 0");
            }
            if (c.has("p")) {
                if (!"global_norm".equals(clipKind)) c.problem("p", "the norm type applies to global_norm only");
                String text = c.string("p", "2");
                if (text != null && (text.equals("inf") || text.equals(".inf"))) p = Double.POSITIVE_INFINITY;
                else p = c.number("p", 2.0, v -> v > 0, "a number > 0 or inf");
            }
            if (c.has("error_if_nonfinite")) {
                if (!"global_norm".equals(clipKind)) c.problem("error_if_nonfinite", "applies to global_norm only");
                errorIfNonfinite = c.bool("error_if_nonfinite", false);
            }
        }
        double l1 = 0, l1p = 0, l2 = 0, inputNoise = 0, weightNoise = 0;
        Double maxNorm = null;
        Section r = top.section("regularization");
        if (r != null) {
            r.allowOnly(REGULARIZATION_KEYS);
            l1 = r.number("l1", 0.0, v -> v >= 0, "a number >= 0");
            l1p = r.number("l1_proximal", 0.0, v -> v >= 0, "a number >= 0");
            l2 = r.number("l2", 0.0, v -> v >= 0, "a number >= 0");
            maxNorm = r.number("max_norm", null, v -> v > 0, "a number > 0");
            inputNoise = r.number("input_noise", 0.0, v -> v >= 0, "a standard deviation >= 0");
            weightNoise = r.number("weight_noise", 0.0, v -> v >= 0, "a standard deviation >= 0");
        }
        List<Group> groups = new ArrayList<>();
        List<ConfigNode> items = top.list("param_groups");
        if (items != null) {
            for (int i = 0; i < items.size(); i++) {
                String path = "param_groups[" + i + "]";
                if (!(items.get(i) instanceof ConfigNode.Mapping m)) {
                    top.problems().add(path, "expected a group such as {match: bias, weight_decay: 0}, got " + items.get(i).describe(),
                            items.get(i).origin());
                    continue;
                }
                Section g = new Section(m, path, top.problems());
                g.allowOnly(GROUP_KEYS);
                String match = g.string("match", null);
                if (match == null) {
                    g.missing("match", "which parameters: bias, norm, or a regular expression over names such as 'layers\\.0\\.'");
                    continue;
                }
                try {
                    ParamGroups.matcher(match);
                } catch (java.util.regex.PatternSyntaxException e) {
                    g.problem("match", "is neither bias, norm nor a valid regular expression: " + e.getDescription());
                    continue;
                }
                Double lr = g.number("lr", null, v -> v >= 0, "a learning rate >= 0");
                Double wd = g.number("weight_decay", null, v -> v >= 0, "a number >= 0");
                if (wd != null && optimizer != null && !OptimizerConfig.keys(optimizer.name()).contains("weight_decay")) {
                    g.problem("weight_decay", "optimizer " + optimizer.name() + " has no weight_decay");
                }
                groups.add(new Group(match, lr, wd));
            }
        }
        return new ToolboxConfig(clipKind, clip, p, errorIfNonfinite, l1, l1p, l2, maxNorm, groups, inputNoise, weightNoise);
    }

    /** The sections as YAML lines (nothing for NONE); reads back to an equal configuration. */
    String yaml() {
        StringBuilder y = new StringBuilder();
        if (clipKind != null) {
            y.append("clip: {").append(clipKind).append(": ").append(ConfigWriter.number(clip));
            if (clipKind.equals("global_norm")) y.append(", p: ").append(Double.isInfinite(clipP) ? "inf" : ConfigWriter.number(clipP));
            if (clipErrorIfNonfinite) y.append(", error_if_nonfinite: true");
            y.append("}\n");
        }
        if (l1 != 0 || l1Proximal != 0 || l2 != 0 || maxNorm != null || inputNoise != 0 || weightNoise != 0) {
            y.append("regularization: {l1: ").append(ConfigWriter.number(l1)).append(", l1_proximal: ").append(ConfigWriter.number(l1Proximal))
                    .append(", l2: ").append(ConfigWriter.number(l2));
            if (maxNorm != null) y.append(", max_norm: ").append(ConfigWriter.number(maxNorm));
            if (inputNoise != 0) y.append(", input_noise: ").append(ConfigWriter.number(inputNoise));
            if (weightNoise != 0) y.append(", weight_noise: ").append(ConfigWriter.number(weightNoise));
            y.append("}\n");
        }
        if (!groups.isEmpty()) {
            y.append("param_groups:\n");
            for (Group g : groups) {
                y.append("  - {match: ").append(ConfigWriter.string(g.match()));
                if (g.lr() != null) y.append(", lr: ").append(ConfigWriter.number(g.lr()));
                if (g.weightDecay() != null) y.append(", weight_decay: ").append(ConfigWriter.number(g.weightDecay()));
                y.append("}\n");
            }
        }
        return y.toString();
    }
}
