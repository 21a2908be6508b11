package dev.ravine.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Reads an image classification set laid out as one sub-folder per class ({@code DIR/cat/001.png},
 * {@code DIR/dog/a.jpg}, ...) with the JDK's ImageIO, which decodes PNG, JPEG, GIF and BMP. Classes are the
 * sub-folders in name order, so class {@code i} is {@link #classNames}{@code (dir).get(i)} on every machine.
 *
 * <p>Samples have shape {@code [channels, height, width]} with pixel values 0..255 as in the files (like
 * {@link IdxReader}: scaling is {@link Normalizer}'s job). Channels are 1 when every image is grey, else 3 (a grey
 * image among colour ones is repeated into R, G and B). Without a size every image must have the first one's
 * height and width, and the odd one is named; with a size every image is resized to it (bilinear).
 */
public final class ImageFolderReader {
    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".gif", ".bmp");

    private ImageFolderReader() {}

    /** The class names, in label order: the names of {@code dir}'s sub-folders, sorted. */
    public static List<String> classNames(Path dir) {
        requireDirectory(dir);
        List<String> names = list(dir).filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        if (names.isEmpty()) {
            throw new DataFormatException("image folder " + dir + " has no sub-folders; put each class's images in a "
                    + "sub-folder named after the class (e.g. " + dir.resolve("cat") + "/001.png)");
        }
        return names;
    }

    /** Reads every image of every class folder, all of which must have the same height and width. */
    public static Dataset read(Path dir) {
        return read(dir, 0, 0);
    }

    /**
     * Reads every image, resized to {@code height x width} when both are positive (0, 0: keep the files' size, which
     * must then agree).
     */
    public static Dataset read(Path dir, int height, int width) {
        List<String> classes = classNames(dir);
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            Path classDir = dir.resolve(classes.get(c));
            List<Path> images = list(classDir).filter(ImageFolderReader::isImageFile).sorted().toList();
            for (Path image : images) {
                files.add(image);
                labels.add(c);
            }
        }
        if (files.isEmpty()) {
            throw new DataFormatException("image folder " + dir + " has class folders (" + String.join(", ", classes)
                    + ") but no images in them; expected files ending in " + String.join(", ", EXTENSIONS));
        }
        List<BufferedImage> images = new ArrayList<>(files.size());
        for (Path file : files) images.add(decode(file));
        int h = height > 0 ? height : images.getFirst().getHeight();
        int w = width > 0 ? width : images.getFirst().getWidth();
        if (height <= 0) requireOneSize(files, images, h, w);
        int channels = images.stream().allMatch(ImageFolderReader::isGrey) ? 1 : 3;
        float[] pixels = new float[Math.multiplyExact(files.size(), channels * h * w)];
        for (int i = 0; i < images.size(); i++) {
            BufferedImage image = images.get(i);
            int offset = i * channels * h * w;
            if (image.getHeight() == h && image.getWidth() == w) {
                copyPixels(image, channels, pixels, offset);
            } else {
                float[] original = new float[channels * image.getHeight() * image.getWidth()];
                copyPixels(image, channels, original, 0);
                resample(original, channels, image.getHeight(), image.getWidth(), pixels, offset, h, w);
            }
        }
        return Dataset.classification(pixels, new int[] {channels, h, w},
                labels.stream().mapToInt(Integer::intValue).toArray(), classes.size());
    }

    private static void requireDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new DataFormatException("image folder " + dir + " does not exist or is not a folder; check the path "
                    + "(images:DIR needs a folder with one sub-folder of images per class)");
        }
    }

    private static Stream<Path> list(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list image folder " + dir + ": " + e.getMessage(), e);
        }
    }

    private static boolean isImageFile(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(p) && EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    private static BufferedImage decode(Path file) {
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new DataFormatException("image " + file + " cannot be decoded (" + e.getMessage() + "); it is damaged "
                    + "or not really a PNG/JPEG: re-export it or remove it", e);
        }
        if (image == null) {
            throw new DataFormatException("image " + file + " is not in a format ImageIO can read (PNG, JPEG, GIF, BMP); "
                    + "convert it or remove it");
        }
        return image;
    }

    private static void requireOneSize(List<Path> files, List<BufferedImage> images, int h, int w) {
        for (int i = 1; i < images.size(); i++) {
            BufferedImage image = images.get(i);
            if (image.getHeight() != h || image.getWidth() != w) {
                throw new DataFormatException("image " + files.get(i) + " is " + image.getWidth() + "x" + image.getHeight()
                        + " (width x height) but " + files.getFirst() + " is " + w + "x" + h + "; every image must have "
                        + "one size: resize them, or let Ravine resize them with images:DIR?size=" + h + "x" + w);
            }
        }
    }

    private static boolean isGrey(BufferedImage image) {
        return image.getColorModel().getNumColorComponents() == 1;
    }

    /**
     * Bilinear resampling of {@code [channels, h0, w0]} to {@code [channels, h, w]} with pixel centres aligned (the
     * convention of PIL and of PyTorch's {@code align_corners=False}); done on the floats rather than with Java2D so
     * that grey images never pass through a colour-space conversion.
     */
    static void resample(float[] in, int channels, int h0, int w0, float[] out, int offset, int h, int w) {
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < h; y++) {
                float sy = Math.clamp((y + 0.5f) * h0 / h - 0.5f, 0f, h0 - 1f);
                int y0 = (int) sy, y1 = Math.min(y0 + 1, h0 - 1);
                float fy = sy - y0;
                for (int x = 0; x < w; x++) {
                    float sx = Math.clamp((x + 0.5f) * w0 / w - 0.5f, 0f, w0 - 1f);
                    int x0 = (int) sx, x1 = Math.min(x0 + 1, w0 - 1);
                    float fx = sx - x0;
                    int base = c * h0 * w0;
                    float top = in[base + y0 * w0 + x0] * (1 - fx) + in[base + y0 * w0 + x1] * fx;
                    float bottom = in[base + y1 * w0 + x0] * (1 - fx) + in[base + y1 * w0 + x1] * fx;
                    out[offset + (c * h + y) * w + x] = top * (1 - fy) + bottom * fy;
                }
            }
        }
    }

    /**
     * Writes the image as {@code [channels, h, w]} at {@code offset}. A grey image's samples are read from its raster:
     * {@code getRGB} would pass them through a colour-space conversion that changes their values.
     */
    private static void copyPixels(BufferedImage image, int channels, float[] out, int offset) {
        int h = image.getHeight(), w = image.getWidth();
        int plane = h * w;
        boolean grey = isGrey(image);
        float scale = grey ? 255f / maxSample(image) : 1f;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int at = offset + y * w + x;
                if (grey) {
                    float v = image.getRaster().getSample(x, y, 0) * scale;
                    for (int c = 0; c < channels; c++) out[at + c * plane] = v;
                } else {
                    int rgb = image.getRGB(x, y);
                    out[at] = (rgb >> 16) & 0xFF;
                    out[at + plane] = (rgb >> 8) & 0xFF;
                    out[at + 2 * plane] = rgb & 0xFF;
                }
            }
        }
    }

    /** The largest value of a grey sample: 255 for 8-bit images, 65535 for 16-bit PNGs. */
    private static float maxSample(BufferedImage image) {
        return (1 << image.getColorModel().getComponentSize(0)) - 1;
    }
}
