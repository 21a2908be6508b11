package dev.ravine.doctor.finding;

/**
 * One change to a run's config in the form {@code ravine train --set} takes: a dotted key path with {@code [i]} for
 * list items and a YAML value ({@code optimizer.lr: 0.1}, {@code clip: {global_norm: 1.0}},
 * {@code model.layers[2]: relu}). Written {@code path: value} for people and {@code path=value} for --set.
 */
public record ConfigPatch(String path, String value) {
    public ConfigPatch {
        if (path == null || path.isBlank() || path.contains("=") || path.contains(" ")) {
            throw new IllegalArgumentException("a config patch needs a key path without spaces or '=', got '" + path + "'");
        }
        if (value == null || value.isBlank()) throw new IllegalArgumentException("config patch " + path + " needs a value");
    }

    /** The argument {@code --set} takes. */
    public String setArgument() {
        return path + "=" + value;
    }

    @Override
    public String toString() {
        return path + ": " + value;
    }

    /** Reads {@code path: value} back (as {@link #toString} writes it). */
    public static ConfigPatch parse(String text) {
        int colon = text.indexOf(": ");
        if (colon <= 0) throw new IllegalArgumentException("expected 'path: value', got '" + text + "'");
        return new ConfigPatch(text.substring(0, colon).trim(), text.substring(colon + 2).trim());
    }
}
