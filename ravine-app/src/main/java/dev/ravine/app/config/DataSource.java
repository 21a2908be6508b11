package dev.ravine.app.config;

import java.nio.file.Path;
import java.util.Locale;

/**
 * A data set named in a config: {@code idx:PREFIX} (MNIST-style image and label files {@code PREFIX-images-idx3-ubyte}
 * and {@code PREFIX-labels-idx1-ubyte}, optionally gzipped), {@code csv:FILE} (a header row, numeric columns, one of
 * them the label), or a generated one, {@code adding:length=50,samples=10000,seed=1} (the adding problem of
 * Hochreiter and Schmidhuber, for recurrent nets), or a small generated set of {@link SyntheticSpec} ({@code blobs:},
 * {@code spirals:}, {@code linear:}), {@code images:DIR} (one sub-folder of PNG/JPEG images per class; every image of
 * one size, or resized with {@code images:DIR?size=HxW}) or {@code cifar:PATH} (the CIFAR-10 binary batches: the
 * {@code cifar-10-batches-bin} folder for its training batches, or one batch file such as {@code test_batch.bin}).
 * The path is absolute once the config has been read; a generated source has no path and keeps its parameters in
 * {@code generator} or {@code synthetic}.
 *
 * @param imageSize the size an images: source is resized to; null to keep (and require) the files' one size
 */
public record DataSource(Format format, Path path, AddingSpec generator, SyntheticSpec synthetic, ImageSize imageSize) {

    public DataSource(Format format, Path path, AddingSpec generator, SyntheticSpec synthetic) {
        this(format, path, generator, synthetic, null);
    }

    public DataSource(Format format, Path path, AddingSpec generator) {
        this(format, path, generator, null);
    }

    /** The height and width every image of an images: source is resized to. */
    public record ImageSize(int height, int width) {
        @Override
        public String toString() {
            return height + "x" + width;
        }
    }

    /** The adding problem's parameters: sequence length, number of samples, seed. */
    public record AddingSpec(int length, int samples, long seed) {
        @Override
        public String toString() {
            return "length=" + length + ",samples=" + samples + ",seed=" + seed;
        }
    }

    public DataSource(Format format, Path path) {
        this(format, path, null);
    }

    public enum Format {
        IDX, CSV, ADDING, SYNTHETIC, IMAGES, CIFAR;

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
            case "adding" -> Format.ADDING;
            case "images" -> Format.IMAGES;
            case "cifar" -> Format.CIFAR;
            case "blobs", "spirals", "linear", "sequence" -> Format.SYNTHETIC;
            default -> throw new IllegalArgumentException("'" + text + "' does not start with a data format; write "
                    + "idx:PREFIX (e.g. idx:data/mnist-10k/train), csv:FILE (e.g. csv:data/houses.csv), "
                    + "images:DIR (a sub-folder of images per class), cifar:DIR (CIFAR-10 binary batches), "
                    + "adding:length=50,samples=10000,seed=1 or a generated set: blobs:, spirals:, linear:, sequence: (examples/README.md)");
        };
        String rest = text.substring(colon + 1).trim();
        if (format == Format.SYNTHETIC) return new DataSource(format, null, null, SyntheticSpec.parse(prefix, text, rest));
        if (format == Format.ADDING) return new DataSource(format, null, adding(text, rest));
        ImageSize size = null;
        int query = rest.lastIndexOf("?size=");
        if (format == Format.IMAGES && query >= 0) {
            size = imageSize(text, rest.substring(query + "?size=".length()).trim());
            rest = rest.substring(0, query).trim();
        }
        if (rest.isEmpty()) throw new IllegalArgumentException("'" + text + "' names no path after '" + prefix + ":'");
        return new DataSource(format, base.resolve(rest).toAbsolutePath().normalize(), null, null, size);
    }

    private static ImageSize imageSize(String text, String size) {
        String[] hw = size.toLowerCase(Locale.ROOT).split("x", -1);
        try {
            if (hw.length == 2) {
                int h = Integer.parseInt(hw[0].trim()), w = Integer.parseInt(hw[1].trim());
                if (h > 0 && w > 0) return new ImageSize(h, w);
            }
        } catch (NumberFormatException e) {
            // reported below with the form expected
        }
        throw new IllegalArgumentException("'" + text + "': size '" + size + "' is not HEIGHTxWIDTH with positive "
                + "integers, e.g. images:photos/train?size=64x64");
    }

    private static AddingSpec adding(String text, String rest) {
        int length = 50, samples = 10_000;
        long seed = 1;
        for (String part : rest.isEmpty() ? new String[0] : rest.split(",")) {
            String[] kv = part.split("=", 2);
            String key = kv[0].trim();
            if (kv.length != 2) throw new IllegalArgumentException("'" + text + "': '" + part + "' is not key=value");
            long value;
            try {
                value = Long.parseLong(kv[1].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "': " + key + " must be an integer, got '" + kv[1].trim() + "'");
            }
            switch (key) {
                case "length" -> length = (int) value;
                case "samples" -> samples = (int) value;
                case "seed" -> seed = value;
                default -> throw new IllegalArgumentException("'" + text + "': unknown key '" + key + "'; valid: length, samples, seed");
            }
        }
        if (length < 2 || samples < 1) throw new IllegalArgumentException("'" + text + "': length must be >= 2 and samples >= 1");
        return new AddingSpec(length, samples, seed);
    }

    @Override
    public String toString() {
        if (format == Format.SYNTHETIC) return synthetic.toString();
        if (format == Format.ADDING) return "adding:" + generator;
        return format.id() + ":" + path + (imageSize == null ? "" : "?size=" + imageSize);
    }
}
