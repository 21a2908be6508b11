package dev.ravine.app.config;

import java.util.List;

/**
 * A run configuration (YAML file, {@code --set} override or the model it describes) that cannot be used. Each
 * problem names the key path, what is wrong, where it came from (file and line, or the {@code --set} argument) and,
 * where one is close, the value that was probably meant. Every problem found in one pass is reported at once.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String[] problems;

    public ConfigException(String problem) {
        this(List.of(problem));
    }

    public ConfigException(List<String> problems) {
        super(format(problems));
        if (problems.isEmpty()) throw new IllegalArgumentException("a ConfigException needs at least one problem");
        this.problems = problems.toArray(String[]::new);
    }

    /** The individual problems, each one self-contained sentence. */
    public List<String> problems() {
        return List.of(problems);
    }

    private static String format(List<String> problems) {
        if (problems.size() == 1) return QuotedValues.inMessage(problems.getFirst());
        StringBuilder sb = new StringBuilder(problems.size() + " problems in the configuration:");
        for (String p : problems) sb.append("\n  - ").append(QuotedValues.inMessage(p));
        return sb.toString();
    }
}
