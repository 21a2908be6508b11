package dev.ravine.kernel;

import jdk.incubator.vector.FloatVector;

/**
 * 6 rows x 2 vectors, for 16-register files (AVX2): 12 accumulators, 2 B vectors and one broadcast, 15 registers.
 * Each k step does 12 FMAs for 2 vector loads and 6 broadcasts, against 8 for 2 and 4 in {@link MicroKernel4x2}, so
 * more of the load and loop work is amortised. C2 keeps it in registers only when its register-pressure scheduler
 * is off: see {@link MicroKernelChoice}, which picks it only then.
 */
final class MicroKernel6x2 extends MicroKernel {
    MicroKernel6x2() {
        super(6, 2);
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
        FloatVector c40 = FloatVector.fromArray(SPECIES, from, fromIdx + 4 * cols);
        FloatVector c41 = FloatVector.fromArray(SPECIES, from, fromIdx + 4 * cols + LANES);
        FloatVector c50 = FloatVector.fromArray(SPECIES, from, fromIdx + 5 * cols);
        FloatVector c51 = FloatVector.fromArray(SPECIES, from, fromIdx + 5 * cols + LANES);
        for (int p = 0; p < kc; p++, aIdx += 6, bIdx += cols) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, bp, bIdx);
            FloatVector b1 = FloatVector.fromArray(SPECIES, bp, bIdx + LANES);
            FloatVector a0 = FloatVector.broadcast(SPECIES, ap[aIdx]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(SPECIES, ap[aIdx + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(SPECIES, ap[aIdx + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(SPECIES, ap[aIdx + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(SPECIES, ap[aIdx + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(SPECIES, ap[aIdx + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
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
        c40.fma(alphas, FloatVector.fromArray(SPECIES, old, oldIdx + 4 * oldLd)).intoArray(to, toIdx + 4 * toLd);
        c41.fma(alphas, FloatVector.fromArray(SPECIES, old, oldIdx + 4 * oldLd + LANES)).intoArray(to, toIdx + 4 * toLd + LANES);
        c50.fma(alphas, FloatVector.fromArray(SPECIES, old, oldIdx + 5 * oldLd)).intoArray(to, toIdx + 5 * toLd);
        c51.fma(alphas, FloatVector.fromArray(SPECIES, old, oldIdx + 5 * oldLd + LANES)).intoArray(to, toIdx + 5 * toLd + LANES);
        if (parks && out != null) storeBlock(sums, sIdx, out, outIdx, ldc, alpha, beta);
    }
}
