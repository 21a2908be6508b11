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
    void multiply(float[] ap, int aIdx, float[] bp, int bIdx, int kc, float[] sums, int sIdx) {
        int cols = 2 * LANES;
        FloatVector c00 = FloatVector.fromArray(SPECIES, sums, sIdx);
        FloatVector c01 = FloatVector.fromArray(SPECIES, sums, sIdx + LANES);
        FloatVector c10 = FloatVector.fromArray(SPECIES, sums, sIdx + cols);
        FloatVector c11 = FloatVector.fromArray(SPECIES, sums, sIdx + cols + LANES);
        FloatVector c20 = FloatVector.fromArray(SPECIES, sums, sIdx + 2 * cols);
        FloatVector c21 = FloatVector.fromArray(SPECIES, sums, sIdx + 2 * cols + LANES);
        FloatVector c30 = FloatVector.fromArray(SPECIES, sums, sIdx + 3 * cols);
        FloatVector c31 = FloatVector.fromArray(SPECIES, sums, sIdx + 3 * cols + LANES);
        FloatVector c40 = FloatVector.fromArray(SPECIES, sums, sIdx + 4 * cols);
        FloatVector c41 = FloatVector.fromArray(SPECIES, sums, sIdx + 4 * cols + LANES);
        FloatVector c50 = FloatVector.fromArray(SPECIES, sums, sIdx + 5 * cols);
        FloatVector c51 = FloatVector.fromArray(SPECIES, sums, sIdx + 5 * cols + LANES);
        FloatVector c60 = FloatVector.fromArray(SPECIES, sums, sIdx + 6 * cols);
        FloatVector c61 = FloatVector.fromArray(SPECIES, sums, sIdx + 6 * cols + LANES);
        FloatVector c70 = FloatVector.fromArray(SPECIES, sums, sIdx + 7 * cols);
        FloatVector c71 = FloatVector.fromArray(SPECIES, sums, sIdx + 7 * cols + LANES);
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
        c00.intoArray(sums, sIdx);
        c01.intoArray(sums, sIdx + LANES);
        c10.intoArray(sums, sIdx + cols);
        c11.intoArray(sums, sIdx + cols + LANES);
        c20.intoArray(sums, sIdx + 2 * cols);
        c21.intoArray(sums, sIdx + 2 * cols + LANES);
        c30.intoArray(sums, sIdx + 3 * cols);
        c31.intoArray(sums, sIdx + 3 * cols + LANES);
        c40.intoArray(sums, sIdx + 4 * cols);
        c41.intoArray(sums, sIdx + 4 * cols + LANES);
        c50.intoArray(sums, sIdx + 5 * cols);
        c51.intoArray(sums, sIdx + 5 * cols + LANES);
        c60.intoArray(sums, sIdx + 6 * cols);
        c61.intoArray(sums, sIdx + 6 * cols + LANES);
        c70.intoArray(sums, sIdx + 7 * cols);
        c71.intoArray(sums, sIdx + 7 * cols + LANES);
    }
}
