package dev.ravine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataLoaderTest {
    /** {@code n} samples of shape [1, 2]; sample i holds (i, -i) and label i % 3, so rows reveal their index. */
    static Dataset indexed(int n) {
        float[] x = new float[n * 2];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = -i;
            labels[i] = i % 3;
        }
        return Dataset.classification(x, new int[] {1, 2}, labels, 3);
    }

    private static List<Batch> collect(Iterable<Batch> batches) {
        List<Batch> out = new ArrayList<>();
        batches.forEach(out::add);
        return out;
    }

    private static int[] sampleOrder(Iterable<Batch> batches) {
        return collect(batches).stream().flatMapToInt(b -> Arrays.stream(b.sampleIndices())).toArray();
    }

    @Test
    void everySampleAppearsOncePerEpoch() {
        DataLoader loader = new DataLoader(indexed(23), 5, true, false, 42);
        for (int epoch = 0; epoch < 3; epoch++) {
            int[] order = sampleOrder(loader.epoch(epoch));
            int[] sorted = order.clone();
            Arrays.sort(sorted);
            assertArrayEquals(java.util.stream.IntStream.range(0, 23).toArray(), sorted);
        }
    }

    @Test
    void batchesCarryTheRowsLabelsAndShapesOfTheirSamples() {
        DataLoader loader = new DataLoader(indexed(7), 3, true, false, 1);
        List<Batch> batches = collect(loader.epoch(0));
        assertEquals(3, batches.size());
        for (int k = 0; k < batches.size(); k++) {
            Batch b = batches.get(k);
            assertEquals(k, b.index());
            int size = k < 2 ? 3 : 1;
            assertEquals(size, b.size());
            assertArrayEquals(new int[] {size, 1, 2}, b.inputs().shape());
            assertArrayEquals(new int[] {size}, b.targets().shape());
            float[] x = b.inputs().values();
            for (int r = 0; r < size; r++) {
                int sample = b.sampleIndices()[r];
                assertEquals(sample, x[2 * r]);
                assertEquals(-sample, x[2 * r + 1]);
                assertEquals(sample % 3, b.labels()[r]);
                assertEquals(sample % 3, b.targets().values()[r]);
            }
        }
    }

    @Test
    void shuffleDiffersBetweenEpochsAndRepeatsForTheSameSeedAndEpoch() {
        Dataset data = indexed(100);
        DataLoader a = new DataLoader(data, 10, true, false, 7);
        DataLoader b = new DataLoader(data, 10, true, false, 7);
        int[] epoch0 = sampleOrder(a.epoch(0));
        assertFalse(Arrays.equals(epoch0, sampleOrder(a.epoch(1))), "epochs 0 and 1 have the same order");
        assertArrayEquals(epoch0, sampleOrder(b.epoch(0)), "same (seed, epoch), different order");
        assertArrayEquals(epoch0, sampleOrder(a.epoch(0)), "drawing other epochs changed epoch 0");
        assertFalse(Arrays.equals(epoch0, sampleOrder(new DataLoader(data, 10, true, false, 8).epoch(0))));
    }

    @Test
    void seedAndEpochDoNotCollideLikeAnXor() {
        Dataset data = indexed(50);
        int[] seed1Epoch0 = new DataLoader(data, 50, true, false, 1).epochOrder(0);
        int[] seed0Epoch1 = new DataLoader(data, 50, true, false, 0).epochOrder(1);
        assertFalse(Arrays.equals(seed1Epoch0, seed0Epoch1));
    }

    @Test
    void withoutShuffleTheOrderIsTheDataSetOrder() {
        DataLoader loader = new DataLoader(indexed(10), 4, false, false, 3);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, sampleOrder(loader.epoch(5)));
    }

    @Test
    void resumingAtABatchGivesTheTailOfTheSameEpoch() {
        Dataset data = indexed(50);
        List<Batch> whole = collect(new DataLoader(data, 8, true, false, 99).epoch(3));
        List<Batch> resumed = collect(new DataLoader(data, 8, true, false, 99).epoch(3, 4));
        assertEquals(whole.size() - 4, resumed.size());
        for (int k = 0; k < resumed.size(); k++) {
            Batch expected = whole.get(k + 4);
            assertEquals(expected.index(), resumed.get(k).index());
            assertArrayEquals(expected.sampleIndices(), resumed.get(k).sampleIndices());
            assertArrayEquals(expected.inputs().values(), resumed.get(k).inputs().values());
        }
        DataLoader loader = new DataLoader(data, 8, true, false, 99);
        assertEquals(0, collect(loader.epoch(3, loader.batchesPerEpoch())).size());
        assertThrows(IllegalArgumentException.class, () -> loader.epoch(3, loader.batchesPerEpoch() + 1));
    }

    @Test
    void dropLastControlsThePartialBatch() {
        Dataset data = indexed(10);
        DataLoader keep = new DataLoader(data, 4, true, false, 0);
        DataLoader drop = new DataLoader(data, 4, true, true, 0);
        assertEquals(3, keep.batchesPerEpoch());
        assertEquals(2, drop.batchesPerEpoch());
        assertEquals(3, collect(keep.epoch(0)).size());
        List<Batch> dropped = collect(drop.epoch(0));
        assertEquals(2, dropped.size());
        assertEquals(4, dropped.get(1).size());
        assertEquals(2, new DataLoader(indexed(8), 4, false, true, 0).batchesPerEpoch(), "exact multiple drops nothing");
    }

    @Test
    void regressionBatchesHaveTargetRowsAndNoLabels() {
        Dataset data = Dataset.regression(new float[] {0, 1, 2}, new int[] {1}, new float[] {0, 10, 1, 11, 2, 12},
                new int[] {2});
        Batch b = new DataLoader(data, 2, false, false, 0).epoch(0).iterator().next();
        assertNull(b.labels());
        assertArrayEquals(new int[] {2, 2}, b.targets().shape());
        assertArrayEquals(new float[] {0, 10, 1, 11}, b.targets().values());
    }

    @Test
    void batchesOwnTheirArrays() {
        Dataset data = indexed(4);
        Batch b = new DataLoader(data, 4, false, false, 0).epoch(0).iterator().next();
        b.inputs().values()[0] = 1234;
        assertEquals(0f, data.features()[0]);
    }

    @Test
    void batchSizeMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new DataLoader(indexed(4), 0, false, false, 0));
    }
}
