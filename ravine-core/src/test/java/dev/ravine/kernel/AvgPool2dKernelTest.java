package dev.ravine.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AvgPool2dKernelTest {

    private static final int IN_OFF = 4;
    private static final int OUT_OFF = 3;

    record Geo(int n, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw) {
        int outH() {
            return Im2Col.outSize(h, kh, sh, ph);
        }

        int outW() {
            return Im2Col.outSize(w, kw, sw, pw);
        }

        int inSize() {
            return n * c * h * w;
        }

        int outSize() {
            return n * c * outH() * outW();
        }
    }

    static Stream<Geo> geometries() {
        return Stream.of(
                new Geo(2, 3, 7, 7, 3, 3, 2, 2, 1, 1),
                new Geo(1, 2, 6, 5, 2, 3, 1, 2, 1, 1),
                new Geo(2, 1, 8, 8, 2, 2, 2, 2, 0, 0),
                new Geo(3, 2, 9, 6, 3, 2, 3, 1, 1, 1),
                new Geo(1, 1, 5, 5, 5, 5, 1, 1, 2, 2),
                new Geo(2, 2, 4, 6, 1, 1, 2, 3, 0, 0));
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void forwardMatchesNaiveAverageCountingPadding(Geo g) {
        Random rnd = new Random(g.hashCode());
        float[] x = random(rnd, IN_OFF + g.inSize());
        float[] out = new float[OUT_OFF + g.outSize()];
        forward(g, x, out);
        int o = 0;
        for (int plane = 0; plane < g.n() * g.c(); plane++) {
            for (int oy = 0; oy < g.outH(); oy++) {
                for (int ox = 0; ox < g.outW(); ox++, o++) {
                    assertEquals(naiveAverage(g, x, plane, oy, ox), out[OUT_OFF + o], 1e-6, "output " + o);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void backwardIsTheAdjointOfForward(Geo g) {
        Random rnd = new Random(31 + g.hashCode());
        float[] x = random(rnd, IN_OFF + g.inSize());
        float[] y = random(rnd, OUT_OFF + g.outSize());
        float[] pooled = new float[OUT_OFF + g.outSize()];
        float[] spread = new float[IN_OFF + g.inSize()];
        Arrays.fill(spread, IN_OFF, spread.length, Float.NaN); // must be overwritten
        forward(g, x, pooled);
        AvgPool2dKernel.backward(y, OUT_OFF, g.n(), g.c(), g.h(), g.w(), g.kh(), g.kw(), g.sh(), g.sw(),
                g.ph(), g.pw(), spread, IN_OFF);
        double lhs = 0;
        for (int i = OUT_OFF; i < y.length; i++) {
            lhs += (double) pooled[i] * y[i];
        }
        double rhs = 0;
        for (int i = IN_OFF; i < x.length; i++) {
            rhs += (double) x[i] * spread[i];
        }
        assertEquals(lhs, rhs, 1e-4 * Math.max(1.0, Math.abs(lhs)), g.toString());
    }

    @Test
    void resultsAreBitIdenticalForAnyThreadCount() {
        Geo g = new Geo(5, 3, 8, 8, 3, 3, 1, 1, 1, 1);
        Random rnd = new Random(8);
        float[] x = random(rnd, IN_OFF + g.inSize());
        float[] y = random(rnd, OUT_OFF + g.outSize());
        float[][] one = forwardAndBackward(g, x, y, 1);
        float[][] three = forwardAndBackward(g, x, y, 3);
        assertArrayEquals(one[0], three[0]);
        assertArrayEquals(one[1], three[1]);
    }

    private static float[][] forwardAndBackward(Geo g, float[] x, float[] y, int threads) {
        float[] pooled = new float[OUT_OFF + g.outSize()];
        float[] spread = new float[IN_OFF + g.inSize()];
        ComputePool.runWithThreads(threads, () -> {
            forward(g, x, pooled);
            AvgPool2dKernel.backward(y, OUT_OFF, g.n(), g.c(), g.h(), g.w(), g.kh(), g.kw(), g.sh(), g.sw(),
                    g.ph(), g.pw(), spread, IN_OFF);
        });
        return new float[][] {pooled, spread};
    }

    @Test
    void paddedCornerDividesByFullKernelArea() {
        // count_include_pad=true: the top-left window sees 4 real ones and 5 padded zeros.
        float[] x = new float[9];
        Arrays.fill(x, 1f);
        float[] out = new float[4];
        AvgPool2dKernel.forward(x, 0, 1, 1, 3, 3, 3, 3, 2, 2, 1, 1, out, 0);
        assertArrayEquals(new float[] {4f / 9, 4f / 9, 4f / 9, 4f / 9}, out);
    }

    @Test
    void backwardSpreadsEvenlyAndDropsPaddingShare() {
        float[] gradOut = {9f};
        float[] gradIn = new float[4];
        // 2x2 input, kernel 3, padding 1: one window covering all 4 pixels and 5 padded cells.
        AvgPool2dKernel.backward(gradOut, 0, 1, 1, 2, 2, 3, 3, 2, 2, 1, 1, gradIn, 0);
        assertArrayEquals(new float[] {1f, 1f, 1f, 1f}, gradIn);
    }

    @Test
    void rejectsPaddingLargerThanHalfTheKernel() {
        assertThrows(IllegalArgumentException.class,
                () -> AvgPool2dKernel.forward(new float[16], 0, 1, 1, 4, 4, 2, 2, 1, 1, 0, 2, new float[100], 0));
    }

    private static void forward(Geo g, float[] x, float[] out) {
        AvgPool2dKernel.forward(x, IN_OFF, g.n(), g.c(), g.h(), g.w(), g.kh(), g.kw(), g.sh(), g.sw(),
                g.ph(), g.pw(), out, OUT_OFF);
    }

    private static double naiveAverage(Geo g, float[] x, int plane, int oy, int ox) {
        double sum = 0;
        for (int ky = 0; ky < g.kh(); ky++) {
            for (int kx = 0; kx < g.kw(); kx++) {
                int iy = oy * g.sh() - g.ph() + ky;
                int ix = ox * g.sw() - g.pw() + kx;
                if (iy >= 0 && iy < g.h() && ix >= 0 && ix < g.w()) {
                    sum += x[IN_OFF + (plane * g.h() + iy) * g.w() + ix];
                }
            }
        }
        return sum / (g.kh() * g.kw());
    }

    private static float[] random(Random rnd, int len) {
        float[] a = new float[len];
        for (int i = 0; i < len; i++) {
            a[i] = (float) rnd.nextGaussian();
        }
        return a;
    }
}
