package dev.ravine.doctor.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Quickselect against Arrays.sort, whose order (-0.0 before 0.0, NaN last) the readings used to take. */
class OrderStatisticTest {
    @Test
    void everyRankIsWhatSortingWouldGiveOnAwkwardInputs() {
        Random r = new Random(5);
        for (int trial = 0; trial < 60; trial++) {
            int n = 1 + r.nextInt(300);
            double[] a = new double[n + 3]; // values beyond n are not part of the selection
            for (int i = 0; i < a.length; i++) {
                a[i] = switch (trial % 5) {
                    case 0 -> r.nextGaussian();
                    case 1 -> r.nextInt(4); // many ties
                    case 2 -> i; // sorted
                    case 3 -> -i; // reversed
                    default -> r.nextInt(6) == 0 ? Double.NaN : r.nextBoolean() ? -0.0 : 0.0 + r.nextInt(3);
                };
            }
            double[] sorted = Arrays.copyOf(a, n);
            Arrays.sort(sorted);
            for (int k = 0; k < n; k++) {
                double[] work = a.clone();
                assertEquals(Double.doubleToRawLongBits(sorted[k]), Double.doubleToRawLongBits(OrderStatistic.kth(work, n, k)),
                        "trial " + trial + ", rank " + k + " of " + n);
                assertEquals(Arrays.toString(Arrays.copyOfRange(a, n, a.length)), Arrays.toString(Arrays.copyOfRange(work, n, a.length)),
                        "values past n are left alone");
            }
            assertEquals(Double.doubleToRawLongBits(sorted[0]), Double.doubleToRawLongBits(OrderStatistic.min(a, n)), "trial " + trial);
        }
    }

    @Test
    void aRankOutsideTheValuesIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> OrderStatistic.kth(new double[4], 4, 4));
    }
}
