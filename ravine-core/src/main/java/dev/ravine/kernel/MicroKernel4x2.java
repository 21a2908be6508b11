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
        c00.intoArray(sums, sIdx);
        c01.intoArray(sums, sIdx + LANES);
        c10.intoArray(sums, sIdx + cols);
        c11.intoArray(sums, sIdx + cols + LANES);
        c20.intoArray(sums, sIdx + 2 * cols);
        c21.intoArray(sums, sIdx + 2 * cols + LANES);
        c30.intoArray(sums, sIdx + 3 * cols);
        c31.intoArray(sums, sIdx + 3 * cols + LANES);
    }
}
