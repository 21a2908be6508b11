package dev.ravine.app.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The few facts of a run's resolved {@code config.yaml} that the report's header shows (model, loss, optimizer,
 * training, doctor), and the file's text. Read as plain YAML rather than through the config reader so that the report
 * of an older run still shows its config after keys have changed, and a config that no longer reads cleanly still
 * gets a report.
 *
 * @param facts      label -> one line, in display order
 * @param layerKinds the kind of each top-level layer of model.layers (index = the doctor's layer name)
 * @param text       the file as written, or a note that it is missing
 */
record ConfigFacts(Map<String, String> facts, List<String> layerKinds, String text) {

    static ConfigFacts read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            return new ConfigFacts(Map.of(), List.of(), "(no readable config.yaml: " + e.getMessage() + ")");
        }
        Object root;
        try {
            root = new Yaml(new LoaderOptions()).load(text);
        } catch (YAMLException e) {
            return new ConfigFacts(Map.of(), List.of(), text);
        }
        if (!(root instanceof Map<?, ?> top)) return new ConfigFacts(Map.of(), List.of(), text);
        Map<String, String> facts = new LinkedHashMap<>();
        List<String> kinds = new ArrayList<>();
        if (top.get("model") instanceof Map<?, ?> model && model.get("layers") instanceof List<?> layers) {
            List<String> shown = new ArrayList<>();
            for (Object layer : layers) {
                kinds.add(kind(layer));
                shown.add(describeLayer(layer));
            }
            facts.put("model", (model.get("input") == null ? "" : "input " + inline(model.get("input")) + ": ") + String.join(" → ", shown));
        }
        putIfPresent(facts, "loss", top.get("loss"));
        putIfPresent(facts, "optimizer", top.get("optimizer"));
        putIfPresent(facts, "schedule", top.get("schedule"));
        putIfPresent(facts, "training", top.get("training"));
        putIfPresent(facts, "doctor", top.get("doctor"));
        putIfPresent(facts, "seed", top.get("seed"));
        return new ConfigFacts(facts, kinds, text);
    }

    private static void putIfPresent(Map<String, String> facts, String key, Object value) {
        if (value != null) facts.put(key, inline(value));
    }

    /** A layer entry is either its kind ("relu") or a one-key map {kind: {options}}. */
    private static String kind(Object layer) {
        if (layer instanceof Map<?, ?> m && m.size() == 1) return String.valueOf(m.keySet().iterator().next());
        return String.valueOf(layer);
    }

    /** The kind with the options that shape it (out, kernel, p), not every resolved default. */
    private static String describeLayer(Object layer) {
        String kind = kind(layer);
        if (!(layer instanceof Map<?, ?> m) || !(m.values().iterator().next() instanceof Map<?, ?> options)) return kind;
        List<String> shown = new ArrayList<>();
        for (String key : List.of("out", "kernel", "stride", "p", "hidden", "init")) {
            Object v = options.get(key);
            if (v != null && !(key.equals("init") && "default".equals(v)) && !(key.equals("stride") && Integer.valueOf(1).equals(v))) {
                shown.add(key + " " + inline(v));
            }
        }
        return shown.isEmpty() ? kind : kind + "(" + String.join(", ", shown) + ")";
    }

    /** YAML flow style on one line: {name: adam, lr: 0.001}. */
    static String inline(Object value) {
        if (value instanceof Map<?, ?> m) {
            List<String> parts = new ArrayList<>();
            m.forEach((k, v) -> parts.add(k + ": " + inline(v)));
            return "{" + String.join(", ", parts) + "}";
        }
        if (value instanceof List<?> l) {
            return "[" + String.join(", ", l.stream().map(ConfigFacts::inline).toList()) + "]";
        }
        return String.valueOf(value);
    }
}
