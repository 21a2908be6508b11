package dev.ravine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The balanced sampler draws every class about equally often, reproducibly per (seed, epoch). */
class BalancedSamplingTest {
    @Test
    void rareClassesAreDrawnAsOftenAsCommonOnes() {
        int n = 4000;
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = i < 3600 ? 0 : i < 3960 ? 1 : 2; // 90%, 9%, 1%
        Dataset data = Dataset.classification(new float[n], new int[] {1}, labels, 3);
        DataLoader loader = new DataLoader(data, 100, false, false, 5, true);
        int[] order = loader.epochOrder(0);
        assertEquals(n, order.length);
        int[] drawn = new int[3];
        for (int i : order) drawn[labels[i]]++;
        // each class expects n/3 = 1333 draws; the binomial standard deviation is about 30
        for (int c = 0; c < 3; c++) assertEquals(n / 3.0, drawn[c], 150, "class " + c + " drawn " + Arrays.toString(drawn));
        assertArrayEquals(order, new DataLoader(data, 100, true, false, 5, true).epochOrder(0), "shuffle does not change it");
        assertFalse(Arrays.equals(order, loader.epochOrder(1)), "each epoch draws anew");
    }

    @Test
    void regressionDataIsRefused() {
        Dataset data = Dataset.regression(new float[4], new int[] {1}, new float[4], new int[] {1});
        var e = assertThrows(IllegalArgumentException.class, () -> new DataLoader(data, 2, true, false, 1, true));
        assertEquals("a balanced sampler draws by class, but this data set has regression targets", e.getMessage());
    }
}
