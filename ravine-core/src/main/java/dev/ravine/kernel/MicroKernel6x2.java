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
    }
}
