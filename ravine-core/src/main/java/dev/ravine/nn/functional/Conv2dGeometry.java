package dev.ravine.nn.functional;

import dev.ravine.kernel.Im2Col;

/** The sizes of one 2-D sliding-window operation over an [n, c, h, w] input. */
public record Conv2dGeometry(int n, int c, int h, int w, int kh, int kw, int strideH, int strideW, int padH, int padW) {
    public int outH() {
        return Im2Col.outSize(h, kh, strideH, padH);
    }

    public int outW() {
        return Im2Col.outSize(w, kw, strideW, padW);
    }

    public int[] inShape() {
        return new int[] {n, c, h, w};
    }
}
