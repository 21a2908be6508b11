package dev.ravine.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/** The register transposes against the definition, for both visiting orders and every width remainder. */
class Transpose8x8Test {
    private static final float UNTOUCHED = -7f;

    @Test
    void transposesEveryRowBlockInBothSpans() {
        assumeTrue(Transpose8x8.AVAILABLE, "256-bit vectors are not native here");
        for (int span : new int[] {8, 16}) {
            for (int rowBlocks = 1; rowBlocks <= 4; rowBlocks++) {
                for (int width = 0; width <= 41; width++) check(span, rowBlocks, width, 64);
            }
        }
    }

    /** src rows are ld apart (a power of two above width, the case the 16-column span is for). */
    private static void check(int span, int rowBlocks, int width, int ld) {
        int rows = 8 * rowBlocks, destStride = rows + 2, from = 5, to = 3;
        float[] src = new float[from + rows * ld];
        for (int i = 0; i < src.length; i++) src[i] = i * 0.5f;
        float[] dest = new float[to + (width + 1) * destStride];
        java.util.Arrays.fill(dest, UNTOUCHED);
        int done = span == 16 ? Transpose8x8.transposeRowsBy16(src, from, ld, rowBlocks, width, dest, to, destStride)
                : Transpose8x8.transposeRows(src, from, ld, rowBlocks, width, dest, to, destStride);
        String what = "span " + span + ", row blocks " + rowBlocks + ", width " + width;
        assertEquals(width / 8 * 8, done, what + ": columns done");
        for (int c = 0; c <= width; c++) {
            for (int r = 0; r < destStride; r++) {
                float expected = c < done && r < rows ? src[from + r * ld + c] : UNTOUCHED;
                assertEquals(expected, dest[to + c * destStride + r], what + ": column " + c + ", row " + r);
            }
        }
    }
}
