package dev.ravine.kernel;

import static dev.ravine.kernel.MicroKernel.LANES;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PatchPanelsTest {

    @Test
    void onlyVectorsOfAdjacentOffsetsCountAsAdjacent() {
        int[] inner = new int[3 * LANES];
        for (int l = 0; l < LANES; l++) {
            inner[l] = 10 + l;                                      // adjacent
            inner[LANES + l] = 40 + l + (l == LANES - 1 ? 1 : 0);   // a gap before the last lane
            inner[2 * LANES + l] = 100 + l;                         // adjacent again
        }
        assertEquals(0b101, PatchPanels.adjacentVectors(inner, 0, 3 * LANES));
        assertEquals(0b10, PatchPanels.adjacentVectors(inner, LANES, 2 * LANES), "counted from the first column asked");
        int[] descending = new int[LANES];
        for (int l = 0; l < LANES; l++) descending[l] = 50 - l;
        assertEquals(0, PatchPanels.adjacentVectors(descending, 0, LANES));
    }

    @Test
    void packedPanelsHoldTheGatheredEntriesWhetherLoadedOrGathered() {
        // Output positions of a 5 x 5 output over a 7-wide padded plane at stride 1: vectors inside a row are
        // adjacent, those crossing a row's end are not; taps as rows.
        int outH = 5, outW = 5, paddedW = 7, paddedH = 7, channels = 2;
        int[] positions = PatchPanels.positionOffsets(outH, outW, 1, 1, paddedW);
        int[] taps = PatchPanels.tapOffsets(channels, 3, 3, paddedH, paddedW);
        float[] image = new float[channels * paddedH * paddedW + 3];
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < image.length; i++) image[i] = (float) random.nextDouble(-1, 1);
        int base = 3, width = 2 * LANES;
        for (int cols : new int[] {positions.length, positions.length - 3, LANES + 1}) {
            int colStart = positions.length - cols, kc = taps.length - 1;
            float[] packed = new float[Math.ceilDiv(cols, width) * width * kc];
            PatchPanels.pack(image, base, taps, 1, kc, positions, colStart, cols, width, packed);
            assertArrayEquals(reference(image, base, taps, 1, kc, positions, colStart, cols, width), packed,
                    cols + " columns");
        }
    }

    @Test
    void gatheredPanelsOfTapColumnsHoldTheSameEntriesAsTheReference() {
        // The weight gradient's panels: output positions as rows, taps as columns, as B slivers (a vector wide
        // and more) and as narrower A slivers (the micro-kernel's rows), with partial last slivers.
        int out = 4, padded = 6, channels = 3;
        int[] positions = PatchPanels.positionOffsets(out, out, 1, 1, padded);
        int[] taps = PatchPanels.tapOffsets(channels, 3, 3, padded, padded);
        float[] image = new float[channels * padded * padded + 2];
        SplittableRandom random = new SplittableRandom(9);
        for (int i = 0; i < image.length; i++) image[i] = (float) random.nextDouble(-1, 1);
        int base = 2;
        for (int width : new int[] {2 * LANES, LANES, 4, 6}) {
            for (int cols : new int[] {taps.length, taps.length - 5, LANES + 3, 3}) {
                int colStart = taps.length - cols, kc = positions.length - 2;
                float[] packed = new float[Math.ceilDiv(cols, width) * width * kc];
                PatchPanels.packGathered(image, base, positions, 2, kc, taps, colStart, cols, width, packed);
                assertArrayEquals(reference(image, base, positions, 2, kc, taps, colStart, cols, width), packed,
                        width + " wide, " + cols + " columns");
            }
        }
    }

    /** The panel one entry at a time: sliver by sliver, kc rows of width values, zeros past the last column. */
    private static float[] reference(float[] image, int base, int[] outer, int rowStart, int kc, int[] inner,
                                     int colStart, int cols, int width) {
        float[] panel = new float[Math.ceilDiv(cols, width) * width * kc];
        for (int j = 0; j < cols; j++) {
            int sliver = j / width * width * kc, lane = j % width;
            for (int r = 0; r < kc; r++) {
                panel[sliver + r * width + lane] = image[base + outer[rowStart + r] + inner[colStart + j]];
            }
        }
        return panel;
    }
}
