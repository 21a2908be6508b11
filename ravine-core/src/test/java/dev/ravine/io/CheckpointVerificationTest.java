package dev.ravine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints carry a checksum, their lengths are checked against the file, and a damaged newest one is passed over. */
class CheckpointVerificationTest {
    @TempDir
    Path dir;

    private static Checkpoint checkpoint(long step, int size) {
        Map<String, float[]> params = new LinkedHashMap<>();
        float[] w = new float[size];
        for (int i = 0; i < size; i++) w[i] = (float) Math.sin(step + i);
        w[0] = Float.intBitsToFloat(0x7fc00123); // a NaN payload survives exactly
        params.put("0.weight", w);
        params.put("0.bias", new float[] {1, 2, 3});
        return new Checkpoint(step, 1, 2, params, Map.of("bn.mean", new float[] {0.5f}), Map.of("adam.m", w.clone()),
                Map.of("adam.t", new long[] {step}), new long[] {11, 22, 33, 44}, 0.5, new double[] {1, 2, 3, 4});
    }

    private Path write(String name, Checkpoint c) throws IOException {
        Path file = dir.resolve(name);
        CheckpointFile.write(file, c);
        return file;
    }

    @Test
    void roundTripIsExact() throws IOException {
        Checkpoint c = checkpoint(5, 40_000);
        Checkpoint back = CheckpointFile.read(write("step-000000005.ckpt", c));
        assertEquals(5, back.step());
        assertArrayEquals(c.parameters().get("0.weight"), back.parameters().get("0.weight"));
        assertEquals(0x7fc00123, Float.floatToRawIntBits(back.parameters().get("0.weight")[0]));
        assertArrayEquals(c.optimizerCounters().get("adam.t"), back.optimizerCounters().get("adam.t"));
        assertArrayEquals(c.rngState(), back.rngState());
    }

    @Test
    void aFlippedBitAnywhereIsFoundByTheChecksum() throws IOException {
        Path file = write("c.ckpt", checkpoint(1, 1000));
        byte[] good = Files.readAllBytes(file);
        // A bit in the middle of the float data: the structure still parses, only the checksum can tell.
        byte[] bad = good.clone();
        bad[good.length / 2] ^= 0x10;
        Files.write(file, bad);
        CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointFile.read(file));
        assertTrue(e.getMessage().contains("damaged") && e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void aBogusArrayLengthIsRefusedBeforeAllocating() throws IOException {
        Path file = write("c.ckpt", checkpoint(1, 10));
        byte[] bytes = Files.readAllBytes(file);
        // The first array's length follows magic(8), version(4), step(8), epoch(4), batch(4), count(4), name.
        int nameLength = ((bytes[32] & 0xFF) << 8) | (bytes[33] & 0xFF);
        int lengthAt = 34 + nameLength;
        ByteBuffer.wrap(bytes).putInt(lengthAt, Integer.MAX_VALUE - 8);
        Files.write(file, bytes);
        CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointFile.read(file));
        assertTrue(e.getMessage().contains("array '0.weight' claims 2147483639 elements"), e.getMessage());
        assertTrue(e.getMessage().contains("bytes are left in the file"), e.getMessage());
    }

    @Test
    void aTruncatedFileIsReportedAsTruncated() throws IOException {
        Path file = write("c.ckpt", checkpoint(1, 100));
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 3));
        CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointFile.read(file));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void theNewestIntactCheckpointIsChosenAndDamagedOnesNoted() throws IOException {
        write("step-000000010.ckpt", checkpoint(10, 50));
        write("step-000000020.ckpt", checkpoint(20, 50));
        Path newest = write("step-000000030.ckpt", checkpoint(30, 50));
        byte[] bytes = Files.readAllBytes(newest);
        bytes[bytes.length - 20] ^= 1;
        Files.write(newest, bytes);
        CheckpointFolder.Newest found = CheckpointFolder.newestIntact(dir);
        assertEquals(20, found.checkpoint().step());
        assertEquals(dir.resolve("step-000000020.ckpt"), found.file());
        assertEquals(1, found.skipped().size());
        assertTrue(found.skipped().getFirst().startsWith("step-000000030.ckpt is damaged"), found.skipped().getFirst());
    }

    @Test
    void noIntactCheckpointGivesNullWithTheReasons() throws IOException {
        Files.write(dir.resolve("step-000000001.ckpt"), new byte[] {1, 2, 3});
        CheckpointFolder.Newest found = CheckpointFolder.newestIntact(dir);
        assertNull(found.checkpoint());
        assertEquals(1, found.skipped().size());
    }

    @Test
    void staleTemporaryFilesOfAKilledWriteAreRemoved() throws IOException {
        Path kept = write("step-000000001.ckpt", checkpoint(1, 5));
        Files.write(dir.resolve(".step-000000002.ckpt123456.tmp"), new byte[100]);
        Files.write(dir.resolve("notes.tmp"), new byte[1]); // not ours: no leading dot
        assertEquals(1, AtomicFile.removeStale(dir));
        assertTrue(Files.exists(kept));
        assertTrue(Files.exists(dir.resolve("notes.tmp")));
        assertFalse(Files.exists(dir.resolve(".step-000000002.ckpt123456.tmp")));
    }

    @Test
    void heapBudgetRefusesWithTheEstimateAndTheXmxNeeded() {
        long tooMuch = HeapBudget.maxHeap() * 3;
        HeapLimitException e = assertThrows(HeapLimitException.class, () -> HeapBudget.require(tooMuch, "the thing"));
        assertTrue(e.getMessage().startsWith("the thing needs about " + HeapBudget.gigabytes(tooMuch)), e.getMessage());
        long xmx = HeapBudget.neededXmxGigabytes(tooMuch, 0);
        assertTrue(xmx * 1024L * 1024 * 1024 >= tooMuch, "suggested -Xmx" + xmx + "g holds the estimate");
        assertTrue(e.getMessage().contains("-Xmx"), e.getMessage());
        HeapBudget.require(1024, "a little"); // fits: no exception
    }
}
