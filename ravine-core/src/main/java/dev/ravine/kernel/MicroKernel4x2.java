package dev.ravine.kernel;

import jdk.incubator.vector.FloatVector;

/**
 * 4 rows x 2 vectors, for 16-register files (AVX2): 8 accumulators, as many FMA chains as two pipes of 4-cycle
 * latency need, and 11 registers with the B vectors and the broadcast, which leaves C2 room for the broadcasts it
 * hoists (see {@link MicroKernelChoice}).
 */
final class MicroKernel4x2 extends MicroKernel {
    MicroKernel4x2() {
        super(4, 2);
    }

    @Override
    void stretch(float[] ap, int aIdx, float[] bp, int bIdx, int kc, float[] sums, int sIdx, boolean fromZero,
                 float[] out, int outIdx, int ldc, float alpha, float beta) {
        int cols = 2 * LANES;
        float[] from = fromZero ? ZEROS : sums;
        int fromIdx = fromZero ? 0 : sIdx;
        FloatVector c00 = FloatVector.fromArray(SPECIES, from, fromIdx);
        FloatVector c01 = FloatVector.fromArray(SPECIES, from, fromIdx + LANES);
        FloatVector c10 = FloatVector.fromArray(SPECIES, from, fromIdx + cols);
        FloatVector c11 = FloatVector.fromArray(SPECIES, from, fromIdx + cols + LANES);
        FloatVector c20 = FloatVector.fromArray(SPECIES, from, fromIdx + 2 * cols);
        FloatVector c21 = FloatVector.fromArray(SPECIES, from, fromIdx + 2 * cols + LANES);
        FloatVector c30 = FloatVector.fromArray(SPECIES, from, fromIdx + 3 * cols);
        FloatVector c31 = FloatVector.fromArray(SPECIES, from, fromIdx + 3 * cols + LANES);
        for (int p = 0; p < kc; p++, aIdx += 4, bIdx += cols) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, bp, bIdx);
            FloatVector b1 = FloatVector.fromArray(SPECIES, bp, bIdx + LANES);
            FloatVector a = FloatVector.broadcast(SPECIES, ap[aIdx]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(SPECIES, ap[aIdx + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(SPECIES, ap[aIdx + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(SPECIES, ap[aIdx + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
        }
        // Where the sums go (see MicroKernel.stretch): parked as they are, or combined into C.
        boolean parks = parks(out, beta), fresh = parks || beta == 0f;
        float[] to = parks ? sums : out, old = fresh ? NEGATIVE_ZEROS : out;
        int toIdx = parks ? sIdx : outIdx, toLd = parks ? cols : ldc;
        int oldIdx = fresh ? 0 : outIdx, oldLd = fresh ? 0 : ldc;
        FloatVector alphas = FloatVector.broadcast(SPECIES, parks ? 1f : alpha);
        c00.fma(alphas, FloatVector.fromArray(SPECIES, old, oldIdx)).intoArray(to, toIdx);
        c01.fma(alphas, FloatVector.fromArray(SPECIES, old, oldIdx + LANES)).intoArray(to, toIdx + LANES);
        c10.fma(alphas, FloatVector.fromArray(SPECIES, old, oldIdx + oldLd)).intoArray(to, toIdx + toLd);
        c11.fma(alphas, FloatVector.fromArray(SPECIES, old, oldIdx + oldLd + LANES)).intoArray(to, toIdx + toLd + LANES);
        c20.fma(alphas, FloatVector.fromArray(SPECIES, old, oldIdx + 2 * oldLd)).intoArray(to, toIdx + 2 * toLd);
        c21.fma(alphas, FloatVector.fromArray(SPECIES, old, oldIdx + 2 * oldLd + LANES)).intoArray(to, toIdx + 2 * toLd + LANES);
        c30.fma(alphas, FloatVector.fromArray(SPECIES, old, oldIdx + 3 * oldLd)).intoArray(to, toIdx + 3 * toLd);
        c31.fma(alphas, FloatVector.fromArray(SPECIES, old, oldIdx + 3 * oldLd + LANES)).intoArray(to, toIdx + 3 * toLd + LANES);
        if (parks && out != null) storeBlock(sums, sIdx, out, outIdx, ldc, alpha, beta);
    }
}
