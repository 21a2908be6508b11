package dev.ravine.kernel;

import jdk.incubator.vector.FloatVector;

/**
 * 8 rows x 2 vectors: 16 accumulators, enough independent FMA chains to cover FMA latency on two pipes, and with
 * the 2 B vectors and the A broadcast 19 registers, which fits the 32 of AVX-512 and NEON. 8 rows divide the usual
 * batch and layer sizes (128, 512, 784), and 2 vectors of 16 lanes divide 128 and 512, so few blocks take the edge
 * path. On 16-register AVX2 it spills, and {@link MicroKernel4x2} takes over (see {@link MicroKernelChoice}).
 */
final class MicroKernel8x2 extends MicroKernel {
    MicroKernel8x2() {
        super(8, 2);
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
        FloatVector c60 = FloatVector.fromArray(SPECIES, from, fromIdx + 6 * cols);
        FloatVector c61 = FloatVector.fromArray(SPECIES, from, fromIdx + 6 * cols + LANES);
        FloatVector c70 = FloatVector.fromArray(SPECIES, from, fromIdx + 7 * cols);
        FloatVector c71 = FloatVector.fromArray(SPECIES, from, fromIdx + 7 * cols + LANES);
        for (int p = 0; p < kc; p++, aIdx += 8, bIdx += cols) {
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
            a = FloatVector.broadcast(SPECIES, ap[aIdx + 4]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(SPECIES, ap[aIdx + 5]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
            a = FloatVector.broadcast(SPECIES, ap[aIdx + 6]);
            c60 = a.fma(b0, c60);
            c61 = a.fma(b1, c61);
            a = FloatVector.broadcast(SPECIES, ap[aIdx + 7]);
            c70 = a.fma(b0, c70);
            c71 = a.fma(b1, c71);
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
        c60.fma(alphas, FloatVector.fromArray(SPECIES, old, oldIdx + 6 * oldLd)).intoArray(to, toIdx + 6 * toLd);
        c61.fma(alphas, FloatVector.fromArray(SPECIES, old, oldIdx + 6 * oldLd + LANES)).intoArray(to, toIdx + 6 * toLd + LANES);
        c70.fma(alphas, FloatVector.fromArray(SPECIES, old, oldIdx + 7 * oldLd)).intoArray(to, toIdx + 7 * toLd);
        c71.fma(alphas, FloatVector.fromArray(SPECIES, old, oldIdx + 7 * oldLd + LANES)).intoArray(to, toIdx + 7 * toLd + LANES);
        if (parks && out != null) storeBlock(sums, sIdx, out, outIdx, ldc, alpha, beta);
    }
}
