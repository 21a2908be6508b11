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
    void multiply(float[] ap, int aIdx, float[] bp, int bIdx, int kc, float[] sums) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES);
        int cols = 2 * LANES;
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
        c00.intoArray(sums, 0);
        c01.intoArray(sums, LANES);
        c10.intoArray(sums, cols);
        c11.intoArray(sums, cols + LANES);
        c20.intoArray(sums, 2 * cols);
        c21.intoArray(sums, 2 * cols + LANES);
        c30.intoArray(sums, 3 * cols);
        c31.intoArray(sums, 3 * cols + LANES);
    }
}
