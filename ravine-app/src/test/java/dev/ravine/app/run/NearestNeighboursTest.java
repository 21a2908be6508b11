package dev.ravine.app.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The label-noise check's bounded selection of the K nearest samples gives what a full stable sort of the distances gives. */
class NearestNeighboursTest {
    private static int[] bySort(float[][] x, int s, int k) {
        Integer[] order = new Integer[x.length];
        double[] dist = new double[x.length];
        for (int t = 0; t < x.length; t++) {
            double d = 0;
            for (int j = 0; j < x[s].length; j++) d += (x[s][j] - x[t][j]) * (double) (x[s][j] - x[t][j]);
            dist[t] = t == s ? Double.POSITIVE_INFINITY : d;
            order[t] = t;
        }
        Arrays.sort(order, (a, b) -> Double.compare(dist[a], dist[b]));
        return Arrays.stream(order).limit(Math.min(k, x.length - 1)).mapToInt(Integer::intValue).toArray();
    }

    @Test
    void theSelectionMatchesAFullSortTiesIncluded() {
        Random r = new Random(5);
        // integer coordinates on a small grid: many equal distances, where the order of ties matters
        float[][] x = new float[300][3];
        for (float[] p : x) for (int j = 0; j < 3; j++) p[j] = r.nextInt(4);
        for (int s = 0; s < x.length; s += 7) assertArrayEquals(bySort(x, s, 15), LabelNoiseCheck.nearest(x, s, 15), "sample " + s);
        float[][] few = Arrays.copyOf(x, 6);
        assertArrayEquals(bySort(few, 2, 15), LabelNoiseCheck.nearest(few, 2, 15), "fewer samples than K");
    }
}
