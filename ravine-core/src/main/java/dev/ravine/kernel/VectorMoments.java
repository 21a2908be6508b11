package dev.ravine.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API body of {@link MomentKernel}; loaded only when the Vector API is in use. Floats are loaded half a
 * register at a time and widened to a full register of doubles; four sums of squares in flight hide the latency of the
 * fused multiply-add, so the loop runs at the speed memory delivers the array.
 */
final class VectorMoments {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F = VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));
    private static final int N = D.length();

    private VectorMoments() {}

    private static DoubleVector widened(float[] a, int i) {
        return (DoubleVector) FloatVector.fromArray(F, a, i).convertShape(VectorOperators.F2D, D, 0);
    }

    static double sumOfSquares(float[] a, int from, int to) {
        DoubleVector s0 = DoubleVector.zero(D), s1 = s0, s2 = s0, s3 = s0;
        int i = from;
        for (; i + 4 * N <= to; i += 4 * N) {
            DoubleVector x0 = widened(a, i), x1 = widened(a, i + N), x2 = widened(a, i + 2 * N), x3 = widened(a, i + 3 * N);
            s0 = x0.fma(x0, s0);
            s1 = x1.fma(x1, s1);
            s2 = x2.fma(x2, s2);
            s3 = x3.fma(x3, s3);
        }
        for (; i + N <= to; i += N) {
            DoubleVector x = widened(a, i);
            s0 = x.fma(x, s0);
        }
        double s = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
        for (; i < to; i++) s += (double) a[i] * a[i];
        return s;
    }

    static void sums(float[] a, int from, int to, boolean[] active, double[] out) {
        int units = active == null ? to - from : active.length; // one row when no units are tracked
        DoubleVector sum0 = DoubleVector.zero(D), sum1 = sum0, sq0 = sum0, sq1 = sum0;
        double sum = 0, sumSq = 0;
        for (int row = from; row < to; row += Math.max(1, units)) {
            int end = Math.min(to, row + units), i = row;
            for (; i + 2 * N <= end; i += 2 * N) {
                FloatVector f0 = FloatVector.fromArray(F, a, i), f1 = FloatVector.fromArray(F, a, i + N);
                DoubleVector x0 = (DoubleVector) f0.convertShape(VectorOperators.F2D, D, 0);
                DoubleVector x1 = (DoubleVector) f1.convertShape(VectorOperators.F2D, D, 0);
                sum0 = sum0.add(x0);
                sum1 = sum1.add(x1);
                sq0 = x0.fma(x0, sq0);
                sq1 = x1.fma(x1, sq1);
                if (active != null) {
                    int u = i - row;
                    VectorMask.fromArray(F, active, u).or(f0.compare(VectorOperators.GT, 0f)).intoArray(active, u);
                    VectorMask.fromArray(F, active, u + N).or(f1.compare(VectorOperators.GT, 0f)).intoArray(active, u + N);
                }
            }
            for (; i < end; i++) {
                float x = a[i];
                sum += x;
                sumSq += (double) x * x;
                if (active != null && x > 0) active[i - row] = true;
            }
        }
        out[0] = sum0.add(sum1).reduceLanes(VectorOperators.ADD) + sum;
        out[1] = sq0.add(sq1).reduceLanes(VectorOperators.ADD) + sumSq;
    }
}
