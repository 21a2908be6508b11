package dev.ravine.tensor;

/** Takes [start, end) along one axis; the adjoint places a slice back into zeros. */
record SliceMap(int[] inShape, int axis, int start, int end) implements LinearMap {
    @Override
    public int[] outShape() {
        int[] s = inShape.clone();
        s[axis] = end - start;
        return s;
    }

    private int outer() {
        int o = 1;
        for (int i = 0; i < axis; i++) o *= inShape[i];
        return o;
    }

    private int inner() {
        int n = 1;
        for (int i = axis + 1; i < inShape.length; i++) n *= inShape[i];
        return n;
    }

    @Override
    public void apply(float[] in, float[] out) {
        int inner = inner(), width = (end - start) * inner, full = inShape[axis] * inner;
        for (int o = 0, outer = outer(); o < outer; o++) System.arraycopy(in, o * full + start * inner, out, o * width, width);
    }

    @Override
    public void applyAdjoint(float[] out, float[] in) {
        int inner = inner(), width = (end - start) * inner, full = inShape[axis] * inner;
        for (int o = 0, outer = outer(); o < outer; o++) System.arraycopy(out, o * width, in, o * full + start * inner, width);
    }
}
