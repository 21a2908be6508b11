package dev.ravine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API body of {@link SigmoidAndTanh}; loaded only when the Vector API is in use.
 *
 * <p>Built from exactly rounded operations only (add, multiply, fused multiply-add, divide, bit operations), never the Vector
 * API's lane-wise EXP or TANH: those are intrinsics (SVML on x86) once C2 compiles the loop and {@link Math} per lane
 * before, and the two differ in the last bit for about one value in a hundred, so a run's results depended on when the
 * JIT compiler got to the loop (L-BFGS, which amplifies such differences, ended the same seeded run at different
 * losses). Here every path gives the same bits: exp is Cephes' expf (a Cody-Waite reduction by ln 2 and a degree-5
 * polynomial), tanh Cephes' tanhf (an odd polynomial below 0.625, (1 - e) / (1 + e) with e = exp(-2|x|) above).
 */
final class VectorSigmoidAndTanh {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final float LOG2E = 1.44269504088896341f, LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    /** exp(-104) is below half the smallest subnormal float: the result is 0 from here down. */
    private static final float EXP_FLOOR = -104f;
    private static final float TANH_SMALL = 0.625f;
    /** 1.5 x 2^23: a float below 2^22 in magnitude added to it is rounded to an integer, kept in the low mantissa bits. */
    private static final float ROUNDER = 12582912f;
    private static final int ROUNDER_BITS = Float.floatToRawIntBits(ROUNDER);

    private VectorSigmoidAndTanh() {}

    static void sigmoid(float[] x, int xOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += S.length()) sigmoid(FloatVector.fromArray(S, x, xOff + i)).intoArray(out, outOff + i);
        if (i < n) {
            VectorMask<Float> tail = S.indexInRange(i, n);
            sigmoid(FloatVector.fromArray(S, x, xOff + i, tail)).intoArray(out, outOff + i, tail);
        }
    }

    static void tanh(float[] x, int xOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += S.length()) tanh(FloatVector.fromArray(S, x, xOff + i)).intoArray(out, outOff + i);
        if (i < n) {
            VectorMask<Float> tail = S.indexInRange(i, n);
            tanh(FloatVector.fromArray(S, x, xOff + i, tail)).intoArray(out, outOff + i, tail);
        }
    }

    /** 1 / (1 + e) for x >= 0 and e / (1 + e) below, with e = exp(-|x|) <= 1: exp never overflows. */
    private static FloatVector sigmoid(FloatVector x) {
        FloatVector e = expNonPositive(x.abs().neg());
        FloatVector numerator = e.blend(1f, x.compare(VectorOperators.GE, 0f));
        return numerator.div(e.add(1f));
    }

    /** tanh of |x|, then x's sign (so tanh(-0) is -0 and the result is odd to the bit). */
    private static FloatVector tanh(FloatVector x) {
        FloatVector a = x.abs(), z = a.mul(a);
        FloatVector p = z.fma(-5.70498872745e-3f, 2.06390887954e-2f).fma(z, c(-5.37397155531e-2f)).fma(z, c(1.33314422036e-1f))
                .fma(z, c(-3.33332819422e-1f));
        FloatVector small = a.mul(z).fma(p, a);
        FloatVector e = expNonPositive(a.mul(-2f));
        FloatVector large = e.neg().add(1f).div(e.add(1f));
        FloatVector t = large.blend(small, a.compare(VectorOperators.LT, TANH_SMALL));
        IntVector sign = x.reinterpretAsInts().and(0x80000000);
        return t.reinterpretAsInts().or(sign).reinterpretAsFloats();
    }

    /**
     * exp(x) for x <= 0 (NaN stays NaN): x = n ln 2 + r with |r| <= ln 2 / 2, exp(r) by the polynomial, times 2^n in
     * two factors so that results down to the subnormals are formed without an underflow on the way. n is rounded by
     * adding 1.5 x 2^23, which leaves it in the low bits of the sum.
     */
    private static FloatVector expNonPositive(FloatVector x) {
        x = x.max(EXP_FLOOR);
        FloatVector shifted = x.fma(LOG2E, ROUNDER);
        FloatVector fn = shifted.sub(ROUNDER);
        IntVector n = shifted.reinterpretAsInts().sub(ROUNDER_BITS);
        FloatVector r = fn.fma(c(-LN2_HI), x);
        r = fn.fma(c(-LN2_LO), r);
        FloatVector y = r.fma(1.9875691500e-4f, 1.3981999507e-3f).fma(r, c(8.3334519073e-3f)).fma(r, c(4.1665795894e-2f))
                .fma(r, c(1.6666665459e-1f)).fma(r, c(5.0000001201e-1f)).mul(r.mul(r)).add(r).add(1f);
        IntVector half = n.lanewise(VectorOperators.ASHR, 1);
        return y.mul(powerOfTwo(half)).mul(powerOfTwo(n.sub(half)));
    }

    /** The constant in every lane. */
    private static FloatVector c(float value) {
        return FloatVector.broadcast(S, value);
    }

    /** 2^k for k in [-126, 127]: k + 127 in the exponent field. */
    private static FloatVector powerOfTwo(IntVector k) {
        return k.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    }
}
