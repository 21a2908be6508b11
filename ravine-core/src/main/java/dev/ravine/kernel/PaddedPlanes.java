package dev.ravine.kernel;

import java.util.Arrays;

/**
 * Copies one sample's c planes of h x w into planes of (h + 2 padH) x (w + 2 padW) with a border of zeros, so that
 * {@link PatchPanels} reads every window tap without a bounds test. One sample is small (the CNNs' largest is
 * 32 x 16 x 16 floats) next to the products that read it, so the copy costs little; a buffer that already holds
 * the same geometry keeps its zero border and only gets the interior.
 */
final class PaddedPlanes {
    private PaddedPlanes() {}

    /** Copies the sample; with {@code borderIsZero} dest already has this geometry's zero border, left as it is. */
    static void copy(float[] x, int xOff, int c, int h, int w, int padH, int padW, float[] dest, boolean borderIsZero) {
        int paddedW = w + 2 * padW, paddedH = h + 2 * padH;
        int planeSize = paddedH * paddedW;
        if (borderIsZero) {
            for (int ci = 0; ci < c; ci++) {
                for (int y = 0; y < h; y++) {
                    System.arraycopy(x, xOff + (ci * h + y) * w, dest, ci * planeSize + (y + padH) * paddedW + padW, w);
                }
            }
            return;
        }
        for (int ci = 0; ci < c; ci++) {
            int plane = ci * planeSize;
            Arrays.fill(dest, plane, plane + padH * paddedW, 0f);
            for (int y = 0; y < h; y++) {
                int row = plane + (y + padH) * paddedW;
                Arrays.fill(dest, row, row + padW, 0f);
                System.arraycopy(x, xOff + (ci * h + y) * w, dest, row + padW, w);
                Arrays.fill(dest, row + padW + w, row + paddedW, 0f);
            }
            Arrays.fill(dest, plane + (h + padH) * paddedW, plane + planeSize, 0f);
        }
    }
}
