package dev.ravine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarReaderTest {
    private static final int RECORD = 1 + 3 * 32 * 32;

    @TempDir
    Path dir;

    /** A batch of records with the given labels; record r's byte k (after the label) is (r + k) mod 256. */
    private Path batch(String name, int... labels) throws IOException {
        byte[] bytes = new byte[labels.length * RECORD];
        for (int r = 0; r < labels.length; r++) {
            bytes[r * RECORD] = (byte) labels[r];
            for (int k = 0; k < RECORD - 1; k++) bytes[r * RECORD + 1 + k] = (byte) (r + k);
        }
        return Files.write(dir.resolve(name), bytes);
    }

    @Test
    void aBatchFileIsReadAsRedGreenBluePlanes() throws IOException {
        Path file = batch("test_batch.bin", 3, 9);
        Dataset d = CifarReader.read(file);
        assertEquals(2, d.size());
        assertArrayEquals(new int[] {3, 32, 32}, d.sampleShape());
        assertArrayEquals(new int[] {3, 9}, d.labels());
        assertEquals(10, d.numClasses(), "CIFAR-10 has ten classes whatever the labels present");
        float[] x = d.features();
        assertEquals(0, x[0], "record 0, red (0, 0)");
        assertEquals(1024 % 256, x[1024], "record 0, green (0, 0)");
        assertEquals((1 + 3071) % 256, x[3072 + 3071], "record 1, blue (31, 31)");
    }

    @Test
    void aFolderIsItsTrainingBatchesInOrder() throws IOException {
        batch("data_batch_2.bin", 2, 2);
        batch("data_batch_1.bin", 1);
        batch("test_batch.bin", 0);
        Dataset d = CifarReader.read(dir);
        assertArrayEquals(new int[] {1, 2, 2}, d.labels(), "batches 1 then 2; the test batch is not training data");
    }

    @Test
    void aTruncatedBatchOrABadLabelIsReportedWithTheFile() throws IOException {
        Path cut = Files.write(dir.resolve("cut.bin"), new byte[RECORD + 5]);
        DataFormatException e = assertThrows(DataFormatException.class, () -> CifarReader.read(cut));
        assertTrue(e.getMessage().contains(cut.toString()) && e.getMessage().contains("3073-byte records"), e.getMessage());
        Path bad = batch("bad.bin", 0, 12);
        DataFormatException label = assertThrows(DataFormatException.class, () -> CifarReader.read(bad));
        assertTrue(label.getMessage().contains("record 1: label 12"), label.getMessage());
        DataFormatException empty = assertThrows(DataFormatException.class, () -> CifarReader.read(dir.resolve("none")));
        assertTrue(empty.getMessage().contains("does not exist"), empty.getMessage());
    }
}
