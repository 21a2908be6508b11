package dev.ravine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxReaderTest {
    /** Tests run with ravine-core as working directory; the shipped data lives in the repository's data folder. */
    private static final Path MNIST_10K = Path.of("..", "data", "mnist-10k");
    private static final Path FASHION_MNIST = Path.of("/work/shared/data/fashion-mnist");

    @TempDir
    Path dir;

    @Test
    void readsTheShippedMnistSubset() {
        Dataset train = IdxReader.read(MNIST_10K.resolve("train"));
        Dataset test = IdxReader.read(MNIST_10K.resolve("t10k"));
        assertEquals(8000, train.size());
        assertEquals(2000, test.size());
        for (Dataset d : new Dataset[] {train, test}) {
            assertArrayEquals(new int[] {1, 28, 28}, d.sampleShape());
            assertEquals(10, d.numClasses());
            assertTrue(Arrays.stream(d.labels()).allMatch(l -> l >= 0 && l <= 9));
            assertTrue(Arrays.stream(d.classCounts()).allMatch(c -> c > 0), "every digit occurs");
            float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
            for (float v : d.features()) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            assertEquals(0f, min);
            assertEquals(255f, max);
        }
    }

    @Test
    void readsTheFullFashionMnistWhenPresent() {
        Assumptions.assumeTrue(Files.isDirectory(FASHION_MNIST), "no Fashion-MNIST copy at " + FASHION_MNIST);
        Dataset train = IdxReader.read(FASHION_MNIST.resolve("train"));
        Dataset test = IdxReader.read(FASHION_MNIST.resolve("t10k"));
        assertEquals(60000, train.size());
        assertEquals(10000, test.size());
        assertArrayEquals(new int[] {6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000}, train.classCounts());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void readsRawAndGzippedFiles(boolean gzip) throws IOException {
        String suffix = gzip ? ".gz" : "";
        IdxTestFiles.write(dir.resolve("tiny-images-idx3-ubyte" + suffix), IdxTestFiles.images(3, 2, 4), gzip);
        IdxTestFiles.write(dir.resolve("tiny-labels-idx1-ubyte" + suffix), IdxTestFiles.labels(2, 0, 5), gzip);

        Dataset d = IdxReader.read(dir.resolve("tiny"));

        assertEquals(3, d.size());
        assertArrayEquals(new int[] {1, 2, 4}, d.sampleShape());
        assertArrayEquals(new int[] {2, 0, 5}, d.labels());
        assertEquals(6, d.numClasses(), "numClasses is the largest label plus one");
        assertEquals(7f, d.features()[8], "image 1, pixel 0");
        assertEquals(7f + 7, d.features()[8 + 7], "image 1, pixel 7");
    }

    @Test
    void detectsGzipByContentNotByName() throws IOException {
        // A raw file named .gz (a browser decompressed it) and a gzipped file without .gz.
        IdxTestFiles.write(dir.resolve("x-images-idx3-ubyte.gz"), IdxTestFiles.images(2, 3, 3), false);
        Path labels = IdxTestFiles.write(dir.resolve("x-labels-idx1-ubyte"), IdxTestFiles.labels(1, 1), true);
        Dataset d = IdxReader.read(dir.resolve("x-images-idx3-ubyte.gz"), labels);
        assertEquals(2, d.size());
        assertArrayEquals(new int[] {1, 1}, d.labels());
    }

    @Test
    void readsPixelBytesAsUnsigned() throws IOException {
        byte[] pixels = {(byte) 0, (byte) 128, (byte) 255, (byte) 1};
        Path images = IdxTestFiles.write(dir.resolve("i"), IdxTestFiles.idx(0x803, new int[] {1, 2, 2}, pixels), false);
        Path labels = IdxTestFiles.write(dir.resolve("l"), IdxTestFiles.labels(0), false);
        assertArrayEquals(new float[] {0, 128, 255, 1}, IdxReader.read(images, labels).features());
    }

    @Test
    void missingFileListsTheNamesTried() {
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.read(dir.resolve("train")));
        assertContains(e, "train-images-idx3-ubyte.gz", "train-images-idx3-ubyte,", "train-images.idx3-ubyte", "tried");
    }

    @Test
    void missingLabelsFileIsReportedWhenImagesExist() throws IOException {
        IdxTestFiles.write(dir.resolve("train-images-idx3-ubyte"), IdxTestFiles.images(1, 2, 2), false);
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.read(dir.resolve("train")));
        assertContains(e, "no labels file", "train-labels-idx1-ubyte.gz");
    }

    @Test
    void badMagicShowsExpectedAndFoundInHex() throws IOException {
        byte[] notIdx = IdxTestFiles.idx(0x12345678, new int[] {1, 1, 1}, new byte[] {0});
        Path images = IdxTestFiles.write(dir.resolve("bad-images"), notIdx, true);
        Path labels = IdxTestFiles.write(dir.resolve("labels"), IdxTestFiles.labels(0), false);
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.read(images, labels));
        assertContains(e, "bad-images", "bad magic", "expected 0x00000803", "found 0x12345678", "download it again");
    }

    @Test
    void swappedFilesAreRecognised() throws IOException {
        Path images = IdxTestFiles.write(dir.resolve("i"), IdxTestFiles.images(1, 1, 1), false);
        Path labels = IdxTestFiles.write(dir.resolve("l"), IdxTestFiles.labels(0), false);
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.read(labels, images));
        assertContains(e, "found 0x00000801", "swapped");
    }

    @Test
    void otherElementTypesAreRejectedClearly() throws IOException {
        byte[] floats = IdxTestFiles.idx(0x00000D03, new int[] {1, 1, 1}, new byte[4]);
        Path images = IdxTestFiles.write(dir.resolve("float-images"), floats, false);
        Path labels = IdxTestFiles.write(dir.resolve("l"), IdxTestFiles.labels(0), false);
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.read(images, labels));
        assertContains(e, "float-images", "element type 0x0D (float)", "only 0x08 (unsigned byte)");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void truncatedDataGivesExpectedAndFoundCounts(boolean gzip) throws IOException {
        byte[] full = IdxTestFiles.images(4, 5, 5); // 16 header bytes + 100 data bytes
        byte[] cut = Arrays.copyOf(full, 16 + 60);
        Path images = IdxTestFiles.write(dir.resolve("cut-images"), cut, gzip);
        Path labels = IdxTestFiles.write(dir.resolve("l"), IdxTestFiles.labels(0, 1, 2, 3), false);
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.read(images, labels));
        assertContains(e, "cut-images", "truncated", "expected 100 bytes", "found 60");
    }

    @Test
    void gzipStreamCutShortIsReportedAsTruncated() throws IOException {
        Path whole = IdxTestFiles.write(dir.resolve("whole"), IdxTestFiles.images(50, 28, 28), true);
        byte[] gz = Files.readAllBytes(whole);
        Path images = Files.write(dir.resolve("cut.gz"), Arrays.copyOf(gz, gz.length / 2));
        Path labels = IdxTestFiles.write(dir.resolve("l"), IdxTestFiles.labels(new int[50]), false);
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.read(images, labels));
        assertContains(e, "cut.gz", "truncated", "expected 39200 bytes");
    }

    @Test
    void emptyFileIsTruncatedBeforeTheMagic() throws IOException {
        Path images = Files.write(dir.resolve("empty"), new byte[0]);
        Path labels = IdxTestFiles.write(dir.resolve("l"), IdxTestFiles.labels(0), false);
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.read(images, labels));
        assertContains(e, "empty", "truncated", "magic number");
    }

    @Test
    void labelCountMismatchNamesBothFilesAndCounts() throws IOException {
        Path images = IdxTestFiles.write(dir.resolve("train-images-idx3-ubyte"), IdxTestFiles.images(3, 2, 2), false);
        Path labels = IdxTestFiles.write(dir.resolve("train-labels-idx1-ubyte"), IdxTestFiles.labels(0, 1), false);
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.read(dir.resolve("train")));
        assertContains(e, images.toString(), labels.toString(), "2 labels", "3 images");
    }

    static void assertContains(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "message lacks '" + part + "': " + e.getMessage());
        }
    }
}
