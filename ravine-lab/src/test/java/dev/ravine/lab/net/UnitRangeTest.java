package dev.ravine.lab.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ravine.data.Dataset;
import dev.ravine.nn.Linear;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import org.junit.jupiter.api.Test;

class UnitRangeTest {
    private static final Dataset DATA = Dataset.classification(new float[] {-1.5f, 0.5f, 2.5f, 0f, -0.5f, 1.5f}, new int[] {3},
            new int[] {0, 1}, 2);

    @Test
    void mapsTheSmallestValueToZeroAndTheLargestToOne() {
        UnitRange range = UnitRange.of(DATA);
        assertEquals(-1.5, range.min());
        assertEquals(4.0, range.scale());
        assertArrayEquals(new float[] {0f, 0.5f, 1f, 0.375f, 0.25f, 0.75f}, range.apply(DATA), 1e-7f);
    }

    @Test
    void aFoldedLayerComputesOnTheRawInputsWhatItComputedOnTheMappedOnes() {
        UnitRange range = UnitRange.of(DATA);
        Linear layer = new Linear(3, 4, true, new Rng(5));
        float[] onMapped = layer.call(Tensor.of(range.apply(DATA), 2, 3)).toArray();
        range.foldInto(layer);
        float[] onRaw = layer.call(Tensor.of(DATA.features(), 2, 3)).toArray();
        assertArrayEquals(onMapped, onRaw, 1e-5f);
    }

    @Test
    void refusesConstantFeatures() {
        Dataset flat = Dataset.classification(new float[] {2f, 2f}, new int[] {1}, new int[] {0, 1}, 2);
        assertThrows(IllegalArgumentException.class, () -> UnitRange.of(flat));
    }
}
