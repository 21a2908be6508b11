package dev.ravine.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The range kernels against Math in double, at extremes, independent of where a value falls in a range, and of whether
 * the JIT compiler has compiled them.
 */
class SigmoidAndTanhTest {
    private static float[] values() {
        Random random = new Random(3);
        float[] x = new float[1000];
        for (int i = 0; i < x.length; i++) x[i] = (float) (random.nextGaussian() * (i % 3 == 0 ? 20 : 3));
        return x;
    }

    @Test
    void withinThreeUlpsOfDoublePrecision() {
        float[] x = values(), s = new float[x.length], t = new float[x.length];
        SigmoidAndTanh.sigmoid(x, 0, s, 0, x.length);
        SigmoidAndTanh.tanh(x, 0, t, 0, x.length);
        for (int i = 0; i < x.length; i++) {
            double sigmoid = 1 / (1 + Math.exp(-(double) x[i])), tanh = Math.tanh(x[i]);
            assertEquals(sigmoid, s[i], 3 * Math.ulp((float) sigmoid) + Float.MIN_NORMAL, "sigmoid(" + x[i] + ")");
            assertEquals(tanh, t[i], 3 * Math.ulp((float) tanh), "tanh(" + x[i] + ")");
        }
    }

    @Test
    void extremesSaturateWithoutOverflowAndNanPropagates() {
        float[] x = {-1000f, -90f, 0f, 90f, 1000f, Float.NaN, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY};
        float[] s = new float[x.length], t = new float[x.length];
        SigmoidAndTanh.sigmoid(x, 0, s, 0, x.length);
        SigmoidAndTanh.tanh(x, 0, t, 0, x.length);
        float[] sigmoid = {0f, 0f, 0.5f, 1f, 1f, Float.NaN, 0f, 1f}, tanh = {-1f, -1f, 0f, 1f, 1f, Float.NaN, -1f, 1f};
        for (int i = 0; i < x.length; i++) {
            assertEquals(sigmoid[i], s[i], 1e-30f, "sigmoid(" + x[i] + ")");
            assertEquals(tanh[i], t[i], 0f, "tanh(" + x[i] + ")");
        }
    }

    @Test
    void aValueGetsTheSameBitsWhereverItFallsInARange() {
        float[] x = values(), whole = new float[x.length], pieces = new float[x.length];
        for (boolean tanh : new boolean[] {false, true}) {
            apply(tanh, x, 0, whole, 0, x.length);
            // ranges of odd lengths and offsets: vector bodies and masked tails at every lane position
            for (int from = 0, len = 1; from < x.length; from += len, len = len % 37 + 1) {
                apply(tanh, x, from, pieces, from, Math.min(len, x.length - from));
            }
            for (int i = 0; i < x.length; i++) assertEquals(whole[i], pieces[i], 0f, (tanh ? "tanh" : "sigmoid") + " at " + i);
            float[] inPlace = x.clone();
            apply(tanh, inPlace, 0, inPlace, 0, x.length);
            for (int i = 0; i < x.length; i++) assertTrue(Float.compare(whole[i], inPlace[i]) == 0, "in place at " + i);
        }
    }

    private static void apply(boolean tanh, float[] x, int xOff, float[] out, int outOff, int n) {
        if (tanh) SigmoidAndTanh.tanh(x, xOff, out, outOff, n);
        else SigmoidAndTanh.sigmoid(x, xOff, out, outOff, n);
    }

    /**
     * Interpreted (-Xint: the Vector API's Java fallback for every operation) and compiled (its intrinsics) give the
     * same bits. The Vector API's lane-wise TANH and EXP did not (SVML against Math, about one value in a hundred),
     * so a seeded run's results depended on when the JIT compiler reached the loop.
     */
    @Test
    void theSameBitsInterpretedAsCompiled() throws Exception {
        float[] x = values();
        for (int i = 0; i < 20_000; i++) bits(x); // enough calls for C2 to compile the loops
        String compiled = bits(x);
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process child = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-Xint", "-cp", System.getProperty("java.class.path"),
                SigmoidAndTanhTest.class.getName()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String interpreted = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, child.waitFor(), "the -Xint child failed");
        assertEquals(compiled, interpreted);
    }

    /** The -Xint child of {@link #theSameBitsInterpretedAsCompiled}: prints the bits of sigmoid and tanh of {@link #values()}. */
    public static void main(String[] args) {
        System.out.print(bits(values()));
    }

    /** Every sigmoid and tanh of x as hexadecimal bits, one line each. */
    private static String bits(float[] x) {
        float[] s = new float[x.length], t = new float[x.length];
        SigmoidAndTanh.sigmoid(x, 0, s, 0, x.length);
        SigmoidAndTanh.tanh(x, 0, t, 0, x.length);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < x.length; i++) {
            sb.append(Integer.toHexString(Float.floatToRawIntBits(s[i]))).append(' ').append(Integer.toHexString(Float.floatToRawIntBits(t[i]))).append('\n');
        }
        return sb.toString().strip();
    }
}
