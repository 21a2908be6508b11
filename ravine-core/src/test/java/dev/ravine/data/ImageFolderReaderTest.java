package dev.ravine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderReaderTest {
    @TempDir
    Path dir;

    /** A grey PNG whose pixel (x, y) is {@code base + 10 y + x}. */
    private Path greyPng(String classDir, String name, int w, int h, int base) throws IOException {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) image.getRaster().setSample(x, y, 0, base + 10 * y + x);
        return write(image, classDir, name, "png");
    }

    private Path write(BufferedImage image, String classDir, String name, String format) throws IOException {
        Path file = dir.resolve(classDir).resolve(name);
        Files.createDirectories(file.getParent());
        assertTrue(ImageIO.write(image, format, file.toFile()), "ImageIO writes " + format);
        return file;
    }

    @Test
    void classesAreTheSubFoldersInNameOrderAndPixelsKeepTheirValues() throws IOException {
        greyPng("zebra", "a.png", 3, 2, 100);
        greyPng("ant", "b.png", 3, 2, 0);
        greyPng("ant", "c.png", 3, 2, 50);

        Dataset d = ImageFolderReader.read(dir);

        assertEquals(List.of("ant", "zebra"), ImageFolderReader.classNames(dir));
        assertEquals(3, d.size());
        assertArrayEquals(new int[] {1, 2, 3}, d.sampleShape(), "[channels, height, width]");
        assertArrayEquals(new int[] {0, 0, 1}, d.labels());
        assertEquals(2, d.numClasses());
        float[] x = d.features();
        assertArrayEquals(new float[] {0, 1, 2, 10, 11, 12}, java.util.Arrays.copyOfRange(x, 0, 6), "ant/b.png, row-major");
        assertEquals(50 + 12, x[6 + 5], "ant/c.png, last pixel");
        assertEquals(100, x[12], "zebra/a.png, first pixel");
    }

    @Test
    void colourImagesHaveThreePlanesAndAGreyOneAmongThemIsRepeated() throws IOException {
        BufferedImage rgb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(0, 0, 0x102030);
        rgb.setRGB(1, 0, 0xFF8001);
        write(rgb, "colour", "a.png", "png");
        greyPng("grey", "b.png", 2, 1, 7);

        Dataset d = ImageFolderReader.read(dir);

        assertArrayEquals(new int[] {3, 1, 2}, d.sampleShape());
        assertArrayEquals(new float[] {0x10, 0xFF, 0x20, 0x80, 0x30, 0x01, 7, 8, 7, 8, 7, 8}, d.features());
    }

    @Test
    void readsJpegs() throws IOException {
        BufferedImage rgb = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 8; y++) for (int x = 0; x < 8; x++) rgb.setRGB(x, y, 0x808080);
        write(rgb, "flat", "a.jpg", "jpg");
        Dataset d = ImageFolderReader.read(dir);
        assertArrayEquals(new int[] {3, 8, 8}, d.sampleShape());
        for (float v : d.features()) assertEquals(128, v, 2, "a flat grey JPEG decodes to about its value");
    }

    @Test
    void anImageOfAnotherSizeIsNamedWithTheFix() throws IOException {
        greyPng("a", "first.png", 4, 4, 0);
        Path odd = greyPng("b", "odd.png", 5, 4, 0);
        DataFormatException e = assertThrows(DataFormatException.class, () -> ImageFolderReader.read(dir));
        assertTrue(e.getMessage().contains(odd.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("is 5x4") && e.getMessage().contains("images:DIR?size=4x4"), e.getMessage());
    }

    @Test
    void withASizeEveryImageIsResizedBilinearly() throws IOException {
        greyPng("a", "big.png", 4, 2, 0);   // rows 0 1 2 3 / 10 11 12 13
        greyPng("a", "same.png", 2, 1, 40);

        Dataset d = ImageFolderReader.read(dir, 1, 2);

        assertArrayEquals(new int[] {1, 1, 2}, d.sampleShape());
        // Each output pixel averages a 2x2 block: (0+1+10+11)/4 and (2+3+12+13)/4.
        assertArrayEquals(new float[] {5.5f, 7.5f, 40, 41}, d.features(), 1e-5f);
    }

    @Test
    void aFileThatIsNotAnImageIsNamed() throws IOException {
        greyPng("a", "good.png", 2, 2, 0);
        Path bad = dir.resolve("a").resolve("broken.png");
        Files.writeString(bad, "not a png");
        DataFormatException e = assertThrows(DataFormatException.class, () -> ImageFolderReader.read(dir));
        assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
    }

    @Test
    void aFolderWithoutClassFoldersSaysHowToLayItOut() throws IOException {
        Files.writeString(dir.resolve("loose.png"), "x");
        DataFormatException e = assertThrows(DataFormatException.class, () -> ImageFolderReader.read(dir));
        assertTrue(e.getMessage().contains("no sub-folders"), e.getMessage());
        DataFormatException missing = assertThrows(DataFormatException.class, () -> ImageFolderReader.read(dir.resolve("nope")));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    }
}
