package dev.ravine.app.config;

/**
 * Where a configuration value came from, for error messages: a line of a YAML file, or a {@code --set} argument on
 * the command line.
 *
 * @param file        the config file as the user named it (null for a --set value)
 * @param line        1-based line in {@code file} (0 for a --set value)
 * @param setArgument the whole {@code --set} argument the value came from, or null
 */
public record Origin(String file, int line, String setArgument) {

    public static Origin inFile(String file, int line) {
        return new Origin(file, line, null);
    }

    public static Origin commandLine(String setArgument) {
        return new Origin(null, 0, setArgument);
    }

    public boolean fromCommandLine() {
        return setArgument != null;
    }

    /** "config.yaml line 14" or "--set training.epochs=ten". */
    public String describe() {
        return fromCommandLine() ? "--set " + setArgument : file + " line " + line;
    }

    @Override
    public String toString() {
        return describe();
    }
}
