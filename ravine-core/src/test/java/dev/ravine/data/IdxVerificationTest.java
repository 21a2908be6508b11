package dev.ravine.data;

import static dev.ravine.data.IdxReaderTest.assertContains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.io.HeapLimitException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The IDX reader verifies what it reads: gzip trailers, sizes against the bytes present, and the heap it needs. */
class IdxVerificationTest {
    @TempDir
    Path dir;

    private Path labels(int n) throws IOException {
        return IdxTestFiles.write(dir.resolve("l"), IdxTestFiles.labels(new int[n]), false);
    }

    private byte[] gzipped(byte[] content) throws IOException {
        return Files.readAllBytes(IdxTestFiles.write(dir.resolve("tmp.gz"), content, true));
    }

    @Test
    void aWrongGzipCrcIsRefused() throws IOException {
        byte[] gz = gzipped(IdxTestFiles.images(20, 28, 28));
        gz[gz.length - 8] ^= 0x01; // the CRC-32 is the trailer's first 4 bytes
        Path images = Files.write(dir.resolve("crc.gz"), gz);
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.read(images, labels(20)));
        assertContains(e, "crc.gz", "damaged", "checksum");
    }

    @Test
    void damagedCompressedBytesAreRefusedNotDecodedToWrongPixels() throws IOException {
        byte[] content = IdxTestFiles.images(200, 28, 28);
        byte[] gz = gzipped(content);
        int failures = 0;
        // 64 damaged bytes at several places in the compressed stream: each is an error, none yields data.
        for (int at = 40; at + 64 < gz.length - 8; at += (gz.length - 120) / 7) {
            byte[] bad = gz.clone();
            for (int i = at; i < at + 64; i++) bad[i] = (byte) (bad[i] * 31 + 7);
            Path images = Files.write(dir.resolve("bad.gz"), bad);
            DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.read(images, labels(200)));
            assertContains(e, "bad.gz");
            failures++;
        }
        assertTrue(failures >= 5, "tried " + failures + " places");
    }

    @Test
    void aTinyRawFileClaimingGigabytesIsTruncatedBeforeAllocating() throws IOException {
        byte[] header = IdxTestFiles.idx(IdxReader.IMAGES_MAGIC, new int[] {2_500_000, 28, 28}, new byte[0]);
        Path images = Files.write(dir.resolve("liar-images"), header);
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.read(images, labels(1)));
        assertContains(e, "liar-images", "truncated", "expected 1960000000 bytes", "found 0");
    }

    @Test
    void overflowingDimensionsAreNamedWithTheFile() throws IOException {
        // 65536^3 = 2^48 wraps to 0 in int arithmetic and to a small number in some long products.
        byte[] header = IdxTestFiles.idx(IdxReader.IMAGES_MAGIC, new int[] {65536, 65536, 65536}, new byte[16]);
        Path images = Files.write(dir.resolve("overflow-images"), header);
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.read(images, labels(1)));
        assertContains(e, "overflow-images", "[65536, 65536, 65536]", "more data than a Java array holds");
    }

    @Test
    void bytesBeyondTheAnnouncedDataAreRefused() throws IOException {
        byte[] content = IdxTestFiles.images(3, 4, 4);
        byte[] longer = Arrays.copyOf(content, content.length + 5);
        for (boolean gzip : new boolean[] {false, true}) {
            Path images = IdxTestFiles.write(dir.resolve("long-images" + gzip), longer, gzip);
            DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.read(images, labels(3)));
            assertContains(e, "long-images", "5 bytes more than the 48");
        }
    }

    @Test
    void aGzipCutBeforeItsTrailerIsTruncated() throws IOException {
        byte[] gz = gzipped(IdxTestFiles.images(5, 4, 4));
        Path images = Files.write(dir.resolve("notrailer.gz"), Arrays.copyOf(gz, gz.length - 8));
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.read(images, labels(5)));
        assertContains(e, "notrailer.gz", "truncated");
    }

    /**
     * A gzip whose header and trailer agree on 2 GB of pixels (10 GB as bytes and floats) is refused by the heap
     * budget before one pixel is read; the test JVM runs with -Xmx4g.
     */
    @Test
    void aConfirmedHugeDataSetIsRefusedWithTheHeapItNeeds() throws IOException {
        int[] dims = {2_551_020, 28, 28};
        byte[] gz = gzipped(IdxTestFiles.idx(IdxReader.IMAGES_MAGIC, dims, new byte[0]));
        long announced = 16L + 2_551_020L * 28 * 28;
        ByteBuffer.wrap(gz, gz.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) announced);
        Path images = Files.write(dir.resolve("huge-images.gz"), gz);
        HeapLimitException e = assertThrows(HeapLimitException.class, () -> IdxReader.read(images, labels(1)));
        assertContains(e, "huge-images.gz", "2551020 images of 28x28", "needs about 9.3 GB", "-Xmx");
    }

    @Test
    void intactFilesStillReadExactly() throws IOException {
        byte[] content = IdxTestFiles.images(7, 3, 5);
        for (boolean gzip : new boolean[] {false, true}) {
            Path images = IdxTestFiles.write(dir.resolve("ok-images" + gzip), content, gzip);
            Dataset d = IdxReader.read(images, labels(7));
            float[] expected = new float[7 * 15];
            for (int i = 0; i < expected.length; i++) expected[i] = content[16 + i] & 0xFF;
            assertArrayEquals(expected, d.features());
        }
    }
}
