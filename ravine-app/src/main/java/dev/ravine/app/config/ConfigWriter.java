package dev.ravine.app.config;

import dev.ravine.app.TextFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes a {@link RunConfig} back as YAML in the layout of the examples, every default filled in and data paths
 * absolute, so that the file alone rebuilds the model ({@code ravine eval}) or repeats the run. Reading the output
 * with {@link ConfigReader} gives the same configuration.
 */
public final class ConfigWriter {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private ConfigWriter() {}

    /** @param header comment lines put at the top (without '#'), may be empty */
    public static String write(RunConfig c, List<String> header) {
        StringBuilder y = new StringBuilder();
        for (String line : header) y.append("# ").append(line).append('\n');
        y.append("seed: ").append(c.seed()).append('\n');

        DataConfig d = c.data();
        y.append("data:\n");
        y.append("  train: ").append(source(d.train())).append('\n');
        y.append("  validation: ").append(source(d.validation())).append('\n');
        y.append("  test: ").append(source(d.test())).append('\n');
        y.append("  validation_split: ").append(number(d.validationSplit())).append('\n');
        y.append("  label: ").append(d.label() == null ? "null" : string(d.label())).append('\n');
        y.append("  normalize: ").append(d.normalize().id()).append('\n');
        if (d.normalize().id().endsWith("_whiten")) y.append("  whiten_epsilon: ").append(number(d.whitenEpsilon())).append('\n');
        y.append("  shuffle: ").append(d.shuffle()).append('\n');
        if (d.balanced()) y.append("  sampler: balanced\n");
        if (d.trainSubset() != null) y.append("  train_subset: ").append(d.trainSubset()).append('\n');
        if (d.augment() != null) y.append("  augment: ").append(d.augment().yaml()).append('\n');

        ModelConfig m = c.model();
        y.append("model:\n");
        if (m.input() != null) y.append("  input: ").append(ints(m.input())).append('\n');
        y.append("  layers:\n");
        layers(y, m.layers(), "    ");

        y.append("loss: ").append(c.lossOptions().yaml()).append('\n');

        OptimizerConfig o = c.optimizer();
        List<String> opt = new ArrayList<>();
        opt.add("name: " + o.name());
        for (var e : o.options().entrySet()) {
            Object v = e.getValue();
            String text = v instanceof List<?> l ? "[" + number(((Number) l.get(0)).doubleValue()) + ", " + number(((Number) l.get(1)).doubleValue()) + "]"
                    : v instanceof Integer || v instanceof Long ? v.toString()
                    : v instanceof Number n ? number(n.doubleValue()) : String.valueOf(v);
            opt.add(e.getKey() + ": " + text);
        }
        y.append("optimizer: {").append(String.join(", ", opt)).append("}\n");

        if (c.schedule() != null) y.append(c.schedule().yaml());
        y.append(c.toolbox().yaml());
        y.append(c.doctor().yaml());
        if (c.adversarial() != null) y.append(c.adversarial().yaml());
        if (c.pretrain() != null) y.append(c.pretrain().yaml());

        TrainingConfig t = c.training();
        y.append("training:\n");
        y.append("  epochs: ").append(t.epochs()).append('\n');
        y.append("  batch_size: ").append(t.batchSize()).append('\n');
        y.append("  checkpoint_every: ").append(t.checkpointEvery()).append('\n');
        y.append("  drop_last: ").append(t.dropLast()).append('\n');
        y.append("  threads: ").append(t.threads() == null ? "null" : t.threads().toString()).append('\n');
        y.append("  keep_checkpoints: ").append(t.keepCheckpoints()).append('\n');
        if (t.earlyStopping() != null) y.append(t.earlyStopping().yaml());
        return y.toString();
    }

    private static void layers(StringBuilder y, List<LayerConfig> layers, String indent) {
        for (LayerConfig l : layers) {
            List<String> opts = new ArrayList<>();
            for (Map.Entry<String, Object> e : l.options().entrySet()) {
                if (e.getValue() == null) continue; // an inferred option the model was not built with
                opts.add(e.getKey() + ": " + value(e.getValue()));
            }
            if (l.kind() == LayerKind.RESIDUAL) {
                y.append(indent).append("- residual:\n");
                y.append(indent).append("    layers:\n");
                layers(y, l.layers(), indent + "      ");
            } else if (opts.isEmpty()) {
                y.append(indent).append("- ").append(l.kind().id()).append('\n');
            } else {
                y.append(indent).append("- ").append(l.kind().id()).append(": {").append(String.join(", ", opts)).append("}\n");
            }
        }
    }

    /** One layer in flow YAML, as a list item of model.layers reads it: relu, linear: {out: 10}, residual: {layers: [...]}. */
    public static String flow(LayerConfig l) {
        if (l.kind() == LayerKind.RESIDUAL) {
            return "residual: {layers: [" + String.join(", ", l.layers().stream().map(c -> braced(flow(c))).toList()) + "]}";
        }
        List<String> opts = new ArrayList<>();
        for (Map.Entry<String, Object> e : l.options().entrySet()) {
            if (e.getValue() != null) opts.add(e.getKey() + ": " + value(e.getValue()));
        }
        return opts.isEmpty() ? l.kind().id() : l.kind().id() + ": {" + String.join(", ", opts) + "}";
    }

    private static String braced(String item) {
        return item.contains(": ") ? "{" + item + "}" : item;
    }

    private static String value(Object v) {
        return switch (v) {
            case Double d -> number(d);
            case String s -> PLAIN.matcher(s).matches() ? s : string(s);
            default -> v.toString();
        };
    }

    private static String source(DataSource s) {
        return s == null ? "null" : string(s.toString());
    }

    private static String ints(int[] a) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < a.length; i++) sb.append(i > 0 ? ", " : "").append(a[i]);
        return sb.append(']').toString();
    }

    /** Shortest text that reads back as the same double, in the YAML 1.2 float syntax ({@link TextFormat#exact}: 1.0e-5). */
    static String number(double v) {
        return TextFormat.exact(v);
    }

    /** A double-quoted YAML string (JSON escaping is valid YAML). */
    static String string(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (ch < 0x20) sb.append(String.format("\\u%04x", (int) ch));
                    else sb.append(ch);
                }
            }
        }
        return sb.append('"').toString();
    }
}
