package dev.ravine.kernel;

import jdk.incubator.vector.FloatVector;

/**
 * 12 rows x 2 vectors, for 32-register files: 24 accumulators, 2 B vectors and the broadcasts' registers, 27 of 32.
 * Each k step does 24 FMAs for 2 vector loads and 12 broadcast loads, so the loop's own instructions (index
 * arithmetic, the branch) take a smaller share of the issue slots than in {@link MicroKernel8x2}'s 16; on an
 * Intel Xeon (model 167, AVX-512) that share competes with the FMAs for the two vector ports. Measured there
 * alone on packed data in cache, one thread, kc 256: 12 x 2 ran 172 GFLOP per CPU-second, 8 x 2 162, of a peak of 180.
 */
final class MicroKernel12x2 extends MicroKernel {
    MicroKernel12x2() {
        super(12, 2);
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
        FloatVector c80 = FloatVector.fromArray(SPECIES, from, fromIdx + 8 * cols);
        FloatVector c81 = FloatVector.fromArray(SPECIES, from, fromIdx + 8 * cols + LANES);
        FloatVector c90 = FloatVector.fromArray(SPECIES, from, fromIdx + 9 * cols);
        FloatVector c91 = FloatVector.fromArray(SPECIES, from, fromIdx + 9 * cols + LANES);
        FloatVector c100 = FloatVector.fromArray(SPECIES, from, fromIdx + 10 * cols);
        FloatVector c101 = FloatVector.fromArray(SPECIES, from, fromIdx + 10 * cols + LANES);
        FloatVector c110 = FloatVector.fromArray(SPECIES, from, fromIdx + 11 * cols);
        FloatVector c111 = FloatVector.fromArray(SPECIES, from, fromIdx + 11 * cols + LANES);
        for (int p = 0; p < kc; p++) {
            // Indices from p (not running sums) let C2 prove them in range once, outside the loop.
            int ai = aIdx + p * 12, bi = bIdx + p * cols;
            FloatVector b0 = FloatVector.fromArray(SPECIES, bp, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, bp, bi + LANES);
            FloatVector a0 = FloatVector.broadcast(SPECIES, ap[ai]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(SPECIES, ap[ai + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(SPECIES, ap[ai + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(SPECIES, ap[ai + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(SPECIES, ap[ai + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(SPECIES, ap[ai + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            FloatVector a6 = FloatVector.broadcast(SPECIES, ap[ai + 6]);
            c60 = a6.fma(b0, c60);
            c61 = a6.fma(b1, c61);
            FloatVector a7 = FloatVector.broadcast(SPECIES, ap[ai + 7]);
            c70 = a7.fma(b0, c70);
            c71 = a7.fma(b1, c71);
            FloatVector a8 = FloatVector.broadcast(SPECIES, ap[ai + 8]);
            c80 = a8.fma(b0, c80);
            c81 = a8.fma(b1, c81);
            FloatVector a9 = FloatVector.broadcast(SPECIES, ap[ai + 9]);
            c90 = a9.fma(b0, c90);
            c91 = a9.fma(b1, c91);
            FloatVector a10 = FloatVector.broadcast(SPECIES, ap[ai + 10]);
            c100 = a10.fma(b0, c100);
            c101 = a10.fma(b1, c101);
            FloatVector a11 = FloatVector.broadcast(SPECIES, ap[ai + 11]);
            c110 = a11.fma(b0, c110);
            c111 = a11.fma(b1, c111);
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
        c80.fma(alphas, FloatVector.fromArray(SPECIES, old, oldIdx + 8 * oldLd)).intoArray(to, toIdx + 8 * toLd);
        c81.fma(alphas, FloatVector.fromArray(SPECIES, old, oldIdx + 8 * oldLd + LANES)).intoArray(to, toIdx + 8 * toLd + LANES);
        c90.fma(alphas, FloatVector.fromArray(SPECIES, old, oldIdx + 9 * oldLd)).intoArray(to, toIdx + 9 * toLd);
        c91.fma(alphas, FloatVector.fromArray(SPECIES, old, oldIdx + 9 * oldLd + LANES)).intoArray(to, toIdx + 9 * toLd + LANES);
        c100.fma(alphas, FloatVector.fromArray(SPECIES, old, oldIdx + 10 * oldLd)).intoArray(to, toIdx + 10 * toLd);
        c101.fma(alphas, FloatVector.fromArray(SPECIES, old, oldIdx + 10 * oldLd + LANES)).intoArray(to, toIdx + 10 * toLd + LANES);
        c110.fma(alphas, FloatVector.fromArray(SPECIES, old, oldIdx + 11 * oldLd)).intoArray(to, toIdx + 11 * toLd);
        c111.fma(alphas, FloatVector.fromArray(SPECIES, old, oldIdx + 11 * oldLd + LANES)).intoArray(to, toIdx + 11 * toLd + LANES);
        if (parks && out != null) storeBlock(sums, sIdx, out, outIdx, ldc, alpha, beta);
    }
}
