package dev.ravine.app.config;

import dev.ravine.data.Dataset;
import dev.ravine.nn.loss.ClassWeighting;
import dev.ravine.nn.loss.Loss;
import dev.ravine.nn.loss.Reduction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code loss} key: a name ({@code loss: cross_entropy}) or a mapping with torch's options for that loss:
 * <pre>
 * loss: {name: cross_entropy, weight: [1, 4, 2], ignore_index: -100, label_smoothing: 0.1, reduction: mean}
 * loss: {name: cross_entropy, weight: balanced}   # n / (classes * count_c) from the training data
 * loss: {name: bce_with_logits, pos_weight: 3}    # or a list, one per output
 * loss: {name: huber, delta: 1.0, reduction: sum}
 * </pre>
 * Training needs one number per batch, so {@code reduction: none} (which the Java API has) is refused here.
 *
 * @param weight     class weights (cross_entropy, nll), or null
 * @param balanced   class weights to be computed from the training data's class counts (weight: balanced)
 * @param posWeight  bce_with_logits's positive-class weights, or null
 */
public record LossConfig(String name, float[] weight, boolean balanced, int ignoreIndex, double labelSmoothing, float[] posWeight,
                         double delta, Reduction reduction) {
    static final Map<String, List<String>> KEYS = Map.of(
            "cross_entropy", List.of("name", "weight", "ignore_index", "label_smoothing", "reduction"),
            "nll", List.of("name", "weight", "ignore_index", "reduction"),
            "bce_with_logits", List.of("name", "pos_weight", "reduction"),
            "mse", List.of("name", "reduction"),
            "huber", List.of("name", "delta", "reduction"));

    public static LossConfig named(String name) {
        return new LossConfig(name, null, false, ClassWeighting.DEFAULT_IGNORE_INDEX, 0, null, 1.0, Reduction.MEAN);
    }

    /** Whether anything but the loss's name was given (the config is then written back as a mapping). */
    public boolean hasOptions() {
        return (weight != null || balanced || ignoreIndex != ClassWeighting.DEFAULT_IGNORE_INDEX
                || labelSmoothing != 0 || posWeight != null || delta != 1.0 || reduction != Reduction.MEAN);
    }

    /** This loss with {@code weight: balanced} replaced by the weights it stands for on {@code train} (what a run records). */
    public LossConfig resolved(Dataset train) {
        if (!balanced) return this;
        if (!train.isClassification()) {
            throw new ConfigException("loss.weight: balanced weights classes by their counts, but the training data has no class "
                    + "labels; remove it or give the weights as a list");
        }
        return new LossConfig(name, balancedWeights(train.classCounts()), false, ignoreIndex, labelSmoothing, posWeight, delta, reduction);
    }

    /** n / (classes * count_c), scikit-learn's "balanced": every class then carries the same total weight. */
    public static float[] balancedWeights(int[] classCounts) {
        long n = 0;
        for (int c : classCounts) n += c;
        float[] w = new float[classCounts.length];
        for (int c = 0; c < w.length; c++) w[c] = classCounts[c] == 0 ? 0f : (float) (n / ((double) classCounts.length * classCounts[c]));
        return w;
    }

    // ------------------------------------------------------------------ reading and writing

    static LossConfig read(Section top) {
        ConfigNode node = top.get("loss");
        if (node == null || node instanceof ConfigNode.Scalar) {
            String name = top.choice("loss", "cross_entropy", Loss.NAMES, "loss");
            return name == null ? null : named(name);
        }
        Section s = top.section("loss");
        if (s == null) return null;
        if (!s.has("name")) {
            s.missing("name", "which loss: " + String.join(", ", Loss.NAMES) + ", e.g. 'loss: {name: cross_entropy, label_smoothing: 0.1}'");
            return null;
        }
        String name = s.choice("name", null, Loss.NAMES, "loss");
        if (name == null) return null;
        s.allowOnly(KEYS.get(name), " for " + name);
        String reductionText = s.choice("reduction", "mean", Reduction.NAMES, "reduction");
        if ("none".equals(reductionText)) {
            s.problem("reduction", "none gives one loss per sample, but training needs one number per batch; use mean or sum");
            reductionText = "mean";
        }
        Reduction reduction = Reduction.parse(reductionText == null ? "mean" : reductionText);
        boolean balanced = false;
        float[] weight = null;
        if (s.has("weight") && s.get("weight") instanceof ConfigNode.Scalar) {
            balanced = s.choice("weight", null, List.of("balanced"), "class weighting") != null;
        } else {
            weight = floats(s.numbers("weight", null, 0, v -> v >= 0, "a class weight >= 0"));
        }
        int ignore = s.has("ignore_index") ? integer(s, "ignore_index") : ClassWeighting.DEFAULT_IGNORE_INDEX;
        double smoothing = s.number("label_smoothing", 0.0, v -> v >= 0 && v <= 1, "a number in [0, 1]");
        float[] posWeight = null;
        if (s.get("pos_weight") instanceof ConfigNode.Scalar) {
            Double p = s.number("pos_weight", null, v -> v >= 0, "a weight >= 0");
            posWeight = p == null ? null : new float[] {p.floatValue()};
        } else {
            posWeight = floats(s.numbers("pos_weight", null, 0, v -> v >= 0, "a weight >= 0"));
        }
        double delta = s.number("delta", 1.0, v -> v > 0, "a positive number");
        return new LossConfig(name, weight, balanced, ignore, smoothing, posWeight, delta, reduction);
    }

    /** Any integer, negative ones included (torch's ignore_index defaults to -100). */
    private static int integer(Section s, String key) {
        Long v = Section.parseLong(s.get(key));
        if (v == null || v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            s.problem(key, "expected an integer (a class index, or -100), got " + s.get(key).describe());
            return ClassWeighting.DEFAULT_IGNORE_INDEX;
        }
        return v.intValue();
    }

    private static float[] floats(double[] d) {
        if (d == null) return null;
        float[] out = new float[d.length];
        for (int i = 0; i < d.length; i++) out[i] = (float) d[i];
        return out;
    }

    /** The YAML value: the bare name, or a flow mapping of the options that differ from torch's defaults. */
    String yaml() {
        if (!hasOptions()) return name;
        List<String> parts = new ArrayList<>();
        parts.add("name: " + name);
        if (balanced) parts.add("weight: balanced");
        if (weight != null) parts.add("weight: " + list(weight));
        if (ignoreIndex != ClassWeighting.DEFAULT_IGNORE_INDEX) parts.add("ignore_index: " + ignoreIndex);
        if (labelSmoothing != 0) parts.add("label_smoothing: " + ConfigWriter.number(labelSmoothing));
        if (posWeight != null) parts.add("pos_weight: " + list(posWeight));
        if (delta != 1.0) parts.add("delta: " + ConfigWriter.number(delta));
        if (reduction != Reduction.MEAN) parts.add("reduction: " + reduction.id());
        return "{" + String.join(", ", parts) + "}";
    }

    private static String list(float[] v) {
        List<String> items = new ArrayList<>();
        for (float f : v) items.add(ConfigWriter.number(Double.parseDouble(Float.toString(f)))); // the float's shortest text
        return "[" + String.join(", ", items) + "]";
    }
}
