package dev.ravine.app.config;

import java.nio.file.Path;
import java.util.Locale;

/**
 * A data set named in a config: {@code idx:PREFIX} (MNIST-style image and label files {@code PREFIX-images-idx3-ubyte}
 * and {@code PREFIX-labels-idx1-ubyte}, optionally gzipped) or {@code csv:FILE} (a header row, numeric columns, one of
 * them the label). The path is absolute once the config has been read.
 */
public record DataSource(Format format, Path path) {

    public enum Format {
        IDX, CSV;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Parses "idx:..." or "csv:...", resolving a relative path against {@code base}.
     *
     * @throws IllegalArgumentException with a message saying what is wrong
     */
    public static DataSource parse(String text, Path base) {
        int colon = text.indexOf(':');
        String prefix = colon < 0 ? "" : text.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        Format format = switch (prefix) {
            case "idx" -> Format.IDX;
            case "csv" -> Format.CSV;
            default -> throw new IllegalArgumentException("'" + text + "' does not start with a data format; write "
                    + "idx:PREFIX (e.g. idx:data/mnist-10k/train) or csv:FILE (e.g. csv:data/houses.csv)");
        };
        String rest = text.substring(colon + 1).trim();
        if (rest.isEmpty()) throw new IllegalArgumentException("'" + text + "' names no path after '" + prefix + ":'");
        return new DataSource(format, base.resolve(rest).toAbsolutePath().normalize());
    }

    @Override
    public String toString() {
        return format.id() + ":" + path;
    }
}
