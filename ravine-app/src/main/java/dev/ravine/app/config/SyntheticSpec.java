package dev.ravine.app.config;

import dev.ravine.app.TextFormat;
import dev.ravine.data.Dataset;
import dev.ravine.data.SyntheticData;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A generated data set named in a config ({@link SyntheticData}), {@code NAME:key=value,...} with every key optional:
 * <pre>
 * blobs:classes=3,dims=2,samples=600,separation=3,scale_range=1,sorted=0,nan=0,seed=1
 * spirals:classes=2,samples=600,turns=1.5,noise=0.05,seed=1
 * linear:dims=2,samples=256,condition=1,noise=0,seed=1      (regression)
 * sequence:vocab=10,length=8,samples=2000,seed=1            (token ids; the label is the token that occurs twice)
 * </pre>
 *
 * @param values every key of the generator with its value (defaults filled in), in the order above
 */
public record SyntheticSpec(String name, Map<String, Double> values) {
    static final Map<String, Map<String, Double>> DEFAULTS = Map.of(
            "blobs", ordered("classes", 3, "dims", 2, "samples", 600, "separation", 3, "scale_range", 1, "sorted", 0, "nan", 0, "seed", 1),
            "spirals", ordered("classes", 2, "samples", 600, "turns", 1.5, "noise", 0.05, "seed", 1),
            "linear", ordered("dims", 2, "samples", 256, "condition", 1, "noise", 0, "seed", 1),
            "sequence", ordered("vocab", 10, "length", 8, "samples", 2000, "seed", 1));
    static final List<String> NAMES = List.of("blobs", "spirals", "linear", "sequence");

    public SyntheticSpec {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** Parses the part after "NAME:"; throws IllegalArgumentException naming the text, the key and the valid keys. */
    static SyntheticSpec parse(String name, String text, String rest) {
        Map<String, Double> values = new LinkedHashMap<>(DEFAULTS.get(name));
        for (String part : rest.isEmpty() ? new String[0] : rest.split(",")) {
            String[] kv = part.split("=", 2);
            String key = kv[0].trim();
            if (kv.length != 2) throw new IllegalArgumentException("'" + text + "': '" + part + "' is not key=value");
            if (!values.containsKey(key)) {
                throw new IllegalArgumentException("'" + text + "': unknown key '" + key + "'; valid: " + String.join(", ", values.keySet()));
            }
            try {
                values.put(key, Double.parseDouble(kv[1].trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "': " + key + " must be a number, got '" + kv[1].trim() + "'");
            }
        }
        SyntheticSpec spec = new SyntheticSpec(name, values);
        try {
            spec.generateCheckOnly();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "': " + e.getMessage());
        }
        return spec;
    }

    public boolean isRegression() {
        return name.equals("linear");
    }

    public Dataset generate() {
        return switch (name) {
            case "blobs" -> SyntheticData.blobs(i("classes"), i("dims"), i("samples"), d("separation"), d("scale_range"), d("sorted") != 0,
                    d("nan"), (long) d("seed"));
            case "spirals" -> SyntheticData.spirals(i("classes"), i("samples"), d("turns"), d("noise"), (long) d("seed"));
            case "linear" -> SyntheticData.linear(i("dims"), i("samples"), d("condition"), d("noise"), (long) d("seed"));
            case "sequence" -> SyntheticData.sequence(i("vocab"), i("length"), i("samples"), (long) d("seed"));
            default -> throw new IllegalStateException("unknown generator " + name);
        };
    }

    /** Generates a one-sample-per-class version to validate the parameters cheaply. */
    private void generateCheckOnly() {
        Map<String, Double> small = new LinkedHashMap<>(values);
        if (small.containsKey("classes")) small.put("samples", Math.min(values.get("samples"), Math.max(values.get("classes"), 1)));
        else small.put("samples", Math.min(values.get("samples"), 1));
        new SyntheticSpec(name, small).generate();
    }

    private int i(String key) {
        return (int) Math.round(values.get(key));
    }

    private double d(String key) {
        return values.get(key);
    }

    @Override
    public String toString() {
        return name + ":" + values.entrySet().stream().map(e -> e.getKey() + "=" + TextFormat.plain(e.getValue())).collect(Collectors.joining(","));
    }


    private static Map<String, Double> ordered(Object... kv) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int k = 0; k < kv.length; k += 2) m.put((String) kv[k], ((Number) kv[k + 1]).doubleValue());
        return m;
    }
}
