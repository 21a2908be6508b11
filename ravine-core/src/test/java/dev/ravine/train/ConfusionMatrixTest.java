package dev.ravine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {
    @Test
    void countsTrueAgainstPredictedAndDerivesPrecisionRecallAndF1() {
        // 3 classes, 6 samples; predicted (argmax): 0, 0, 1, 1, 1, 0; labels: 0, 1, 1, 1, 2, 2.
        float[] p = {
            .8f, .1f, .1f,
            .5f, .4f, .1f,
            .2f, .7f, .1f,
            .1f, .8f, .1f,
            .3f, .4f, .3f,
            .6f, .2f, .2f};
        ConfusionMatrix m = ConfusionMatrix.of(new ClassProbabilities(p, 6, 3), new int[] {0, 1, 1, 1, 2, 2});
        assertArrayEquals(new long[] {1, 0, 0}, m.counts()[0]);
        assertArrayEquals(new long[] {1, 2, 0}, m.counts()[1]);
        assertArrayEquals(new long[] {1, 1, 0}, m.counts()[2]);
        assertEquals(6, m.total());
        assertEquals(1 / 3.0, m.precision(0), 1e-12);
        assertEquals(1.0, m.recall(0), 1e-12);
        assertEquals(2 * (1 / 3.0) / (4 / 3.0), m.f1(0), 1e-12);
        assertEquals(2 / 3.0, m.precision(1), 1e-12);
        assertEquals(2 / 3.0, m.recall(1), 1e-12);
        assertTrue(Double.isNaN(m.precision(2)), "class 2 is never predicted: 0/0");
        assertEquals(0.0, m.recall(2));
        assertEquals(0.5, m.accuracy(), 1e-12);
        assertEquals((0.5 + 2 / 3.0) / 2, m.macroF1(), 1e-12, "the mean over the classes whose F1 is defined");
    }
}
