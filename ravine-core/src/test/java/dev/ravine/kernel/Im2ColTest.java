package dev.ravine.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class Im2ColTest {

    /** Offsets and sentinel padding around every buffer catch offset bugs and out-of-range writes. */
    private static final int OFF = 5;
    private static final float SENTINEL = 123.25f;

    record Geo(int n, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw) {
        int outH() {
            return Im2Col.outSize(h, kh, sh, ph);
        }

        int outW() {
            return Im2Col.outSize(w, kw, sw, pw);
        }

        int k() {
            return c * kh * kw;
        }

        int p() {
            return outH() * outW();
        }

        int xSize() {
            return n * c * h * w;
        }

        int colsSize() {
            return n * k() * p();
        }
    }

    static Stream<Geo> geometries() {
        return Stream.of(
                new Geo(2, 3, 7, 6, 3, 3, 1, 1, 1, 1),   // "same" 3x3
                new Geo(2, 2, 8, 9, 3, 3, 2, 2, 1, 1),   // stride 2, padding 1
                new Geo(3, 2, 7, 5, 2, 3, 1, 2, 0, 1),   // non-square kernel, mixed strides
                new Geo(2, 4, 5, 5, 1, 1, 1, 1, 0, 0),   // 1x1
                new Geo(2, 3, 6, 7, 1, 1, 2, 2, 0, 0),   // 1x1 strided
                new Geo(1, 1, 4, 4, 5, 5, 1, 1, 2, 2),   // kernel larger than the input
                new Geo(2, 2, 9, 9, 2, 2, 3, 3, 0, 0),   // stride > kernel: skipped pixels
                new Geo(2, 2, 6, 5, 4, 2, 2, 1, 3, 1),   // padding wider than half the kernel
                new Geo(1, 3, 5, 8, 3, 5, 1, 3, 1, 2));
    }

    @Test
    void outSizeFollowsTheFloorFormula() {
        assertEquals(5, Im2Col.outSize(5, 3, 1, 1));
        assertEquals(4, Im2Col.outSize(8, 3, 2, 1));
        assertEquals(3, Im2Col.outSize(7, 3, 2, 0));
        assertEquals(1, Im2Col.outSize(2, 4, 1, 1));
    }

    @Test
    void outSizeRejectsKernelsThatDoNotFit() {
        var e = assertThrows(IllegalArgumentException.class, () -> Im2Col.outSize(3, 6, 2, 1));
        assertTrue(e.getMessage().contains("output size would be <= 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Im2Col.outSize(5, 3, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> Im2Col.outSize(5, 3, 1, -1));
        assertThrows(IllegalArgumentException.class, () -> Im2Col.outSize(0, 1, 1, 0));
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void col2imIsTheAdjointOfIm2col(Geo g) {
        assertAdjoint(g, false);
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void col2imWideIsTheAdjointOfIm2colWide(Geo g) {
        assertAdjoint(g, true);
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void im2colPlusMatmulEqualsDirectConvolution(Geo g) {
        Random rnd = new Random(7);
        int cout = 3;
        float[] x = padded(random(rnd, g.xSize()));
        double[] weight = randomDouble(rnd, cout * g.k());
        double[] expected = directConv(g, x, weight, cout);

        float[] cols = padded(new float[g.colsSize()]);
        Im2Col.im2col(x, OFF, g.n(), g.c(), g.h(), g.w(), g.kh(), g.kw(), g.sh(), g.sw(), g.ph(), g.pw(), cols, OFF);
        assertSentinels(cols, g.colsSize());
        for (int s = 0; s < g.n(); s++) {
            for (int co = 0; co < cout; co++) {
                for (int q = 0; q < g.p(); q++) {
                    double acc = 0;
                    for (int r = 0; r < g.k(); r++) {
                        acc += weight[co * g.k() + r] * cols[OFF + (s * g.k() + r) * g.p() + q];
                    }
                    assertEquals(expected[(s * cout + co) * g.p() + q], acc, 1e-9, "sample " + s);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void wideMatmulEqualsDirectConvolution(Geo g) {
        Random rnd = new Random(11);
        int cout = 2;
        float[] x = padded(random(rnd, g.xSize()));
        double[] weight = randomDouble(rnd, cout * g.k());
        double[] expected = directConv(g, x, weight, cout);

        float[] cols = padded(new float[g.colsSize()]);
        Im2Col.im2colWide(x, OFF, g.n(), g.c(), g.h(), g.w(), g.kh(), g.kw(), g.sh(), g.sw(), g.ph(), g.pw(), cols, OFF);
        assertSentinels(cols, g.colsSize());
        int wide = g.n() * g.p();
        // One GEMM for the whole batch: [cout, K] x [K, n*P]; column s*P + q is sample s, position q.
        for (int co = 0; co < cout; co++) {
            for (int col = 0; col < wide; col++) {
                double acc = 0;
                for (int r = 0; r < g.k(); r++) {
                    acc += weight[co * g.k() + r] * cols[OFF + r * wide + col];
                }
                int s = col / g.p();
                int q = col % g.p();
                assertEquals(expected[(s * cout + co) * g.p() + q], acc, 1e-9);
            }
        }
    }

    @Test
    void wideLayoutIsAPermutationOfPerSampleLayout() {
        Geo g = new Geo(3, 2, 6, 7, 3, 2, 2, 1, 1, 1);
        float[] x = random(new Random(3), g.xSize());
        float[] perSample = new float[g.colsSize()];
        float[] wide = new float[g.colsSize()];
        Im2Col.im2col(x, 0, g.n(), g.c(), g.h(), g.w(), g.kh(), g.kw(), g.sh(), g.sw(), g.ph(), g.pw(), perSample, 0);
        Im2Col.im2colWide(x, 0, g.n(), g.c(), g.h(), g.w(), g.kh(), g.kw(), g.sh(), g.sw(), g.ph(), g.pw(), wide, 0);
        for (int s = 0; s < g.n(); s++) {
            for (int r = 0; r < g.k(); r++) {
                for (int q = 0; q < g.p(); q++) {
                    assertEquals(perSample[(s * g.k() + r) * g.p() + q], wide[r * g.n() * g.p() + s * g.p() + q]);
                }
            }
        }
    }

    @Test
    void resultsAreBitIdenticalForAnyThreadCount() {
        Geo g = new Geo(6, 3, 9, 8, 3, 3, 2, 1, 1, 1);
        Random rnd = new Random(5);
        float[] x = random(rnd, g.xSize());
        float[] y = random(rnd, g.colsSize());
        float[][] one = unfoldAndFoldAll(g, x, y, 1);
        float[][] three = unfoldAndFoldAll(g, x, y, 3);
        for (int i = 0; i < one.length; i++) {
            assertArrayEquals(one[i], three[i], "result " + i);
        }
    }

    /** im2col, col2im, im2colWide, col2imWide under a pool of the given size. */
    private static float[][] unfoldAndFoldAll(Geo g, float[] x, float[] y, int threads) {
        float[][] r = {new float[g.colsSize()], new float[g.xSize()], new float[g.colsSize()], new float[g.xSize()]};
        ComputePool.runWithThreads(threads, () -> {
            Im2Col.im2col(x, 0, g.n(), g.c(), g.h(), g.w(), g.kh(), g.kw(), g.sh(), g.sw(), g.ph(), g.pw(), r[0], 0);
            Im2Col.col2im(y, 0, g.n(), g.c(), g.h(), g.w(), g.kh(), g.kw(), g.sh(), g.sw(), g.ph(), g.pw(), r[1], 0);
            Im2Col.im2colWide(x, 0, g.n(), g.c(), g.h(), g.w(), g.kh(), g.kw(), g.sh(), g.sw(), g.ph(), g.pw(), r[2], 0);
            Im2Col.col2imWide(y, 0, g.n(), g.c(), g.h(), g.w(), g.kh(), g.kw(), g.sh(), g.sw(), g.ph(), g.pw(), r[3], 0);
        });
        return r;
    }

    @Test
    void col2imOverwritesItsDestination() {
        Geo g = new Geo(2, 2, 5, 5, 3, 3, 1, 1, 1, 1);
        float[] cols = new float[g.colsSize()];
        float[] x = new float[g.xSize()];
        java.util.Arrays.fill(x, 99f);
        Im2Col.col2im(cols, 0, g.n(), g.c(), g.h(), g.w(), g.kh(), g.kw(), g.sh(), g.sw(), g.ph(), g.pw(), x, 0);
        assertArrayEquals(new float[g.xSize()], x);
        java.util.Arrays.fill(x, 99f);
        Im2Col.col2imWide(cols, 0, g.n(), g.c(), g.h(), g.w(), g.kh(), g.kw(), g.sh(), g.sw(), g.ph(), g.pw(), x, 0);
        assertArrayEquals(new float[g.xSize()], x);
    }

    @Test
    void col2imCountsWindowOverlaps() {
        // Folding all-ones columns gives, per pixel, the number of windows covering it.
        Geo g = new Geo(1, 1, 3, 3, 2, 2, 1, 1, 0, 0);
        float[] cols = new float[g.colsSize()];
        java.util.Arrays.fill(cols, 1f);
        float[] x = new float[g.xSize()];
        Im2Col.col2im(cols, 0, 1, 1, 3, 3, 2, 2, 1, 1, 0, 0, x, 0);
        assertArrayEquals(new float[] {1, 2, 1, 2, 4, 2, 1, 2, 1}, x);
    }

    @Test
    void rejectsTooSmallArrays() {
        float[] x = new float[2 * 3 * 4 * 4];
        float[] cols = new float[10];
        assertThrows(IndexOutOfBoundsException.class,
                () -> Im2Col.im2col(x, 0, 2, 3, 4, 4, 3, 3, 1, 1, 1, 1, cols, 0));
    }

    private static void assertAdjoint(Geo g, boolean wide) {
        Random rnd = new Random(42 + g.hashCode());
        float[] x = padded(random(rnd, g.xSize()));
        float[] y = padded(random(rnd, g.colsSize()));
        float[] colsOfX = padded(new float[g.colsSize()]);
        float[] foldedY = padded(new float[g.xSize()]);
        // Garbage inside the destinations: the kernels must overwrite every element.
        java.util.Arrays.fill(colsOfX, OFF, OFF + g.colsSize(), Float.NaN);
        java.util.Arrays.fill(foldedY, OFF, OFF + g.xSize(), Float.NaN);
        if (wide) {
            Im2Col.im2colWide(x, OFF, g.n(), g.c(), g.h(), g.w(), g.kh(), g.kw(), g.sh(), g.sw(), g.ph(), g.pw(), colsOfX, OFF);
            Im2Col.col2imWide(y, OFF, g.n(), g.c(), g.h(), g.w(), g.kh(), g.kw(), g.sh(), g.sw(), g.ph(), g.pw(), foldedY, OFF);
        } else {
            Im2Col.im2col(x, OFF, g.n(), g.c(), g.h(), g.w(), g.kh(), g.kw(), g.sh(), g.sw(), g.ph(), g.pw(), colsOfX, OFF);
            Im2Col.col2im(y, OFF, g.n(), g.c(), g.h(), g.w(), g.kh(), g.kw(), g.sh(), g.sw(), g.ph(), g.pw(), foldedY, OFF);
        }
        assertSentinels(colsOfX, g.colsSize());
        assertSentinels(foldedY, g.xSize());
        double lhs = dot(colsOfX, y, g.colsSize());
        double rhs = dot(x, foldedY, g.xSize());
        assertEquals(lhs, rhs, 1e-4 * Math.max(1.0, Math.abs(lhs)), g.toString());
    }

    /** Direct convolution (no bias) in double: out[s, co, oy, ox] = sum_{ci,ky,kx} w * x. */
    private static double[] directConv(Geo g, float[] x, double[] weight, int cout) {
        double[] out = new double[g.n() * cout * g.p()];
        for (int s = 0; s < g.n(); s++) {
            for (int co = 0; co < cout; co++) {
                for (int oy = 0; oy < g.outH(); oy++) {
                    for (int ox = 0; ox < g.outW(); ox++) {
                        double acc = 0;
                        for (int ci = 0; ci < g.c(); ci++) {
                            for (int ky = 0; ky < g.kh(); ky++) {
                                for (int kx = 0; kx < g.kw(); kx++) {
                                    int iy = oy * g.sh() - g.ph() + ky;
                                    int ix = ox * g.sw() - g.pw() + kx;
                                    if (iy < 0 || iy >= g.h() || ix < 0 || ix >= g.w()) {
                                        continue;
                                    }
                                    double wv = weight[co * g.k() + (ci * g.kh() + ky) * g.kw() + kx];
                                    acc += wv * x[OFF + ((s * g.c() + ci) * g.h() + iy) * g.w() + ix];
                                }
                            }
                        }
                        out[((s * cout + co) * g.outH() + oy) * g.outW() + ox] = acc;
                    }
                }
            }
        }
        return out;
    }

    private static double dot(float[] a, float[] b, int len) {
        double sum = 0;
        for (int i = 0; i < len; i++) {
            sum += (double) a[OFF + i] * b[OFF + i];
        }
        return sum;
    }

    /** Copies data into a buffer with OFF sentinels before and after it. */
    private static float[] padded(float[] data) {
        float[] buf = new float[data.length + 2 * OFF];
        java.util.Arrays.fill(buf, SENTINEL);
        System.arraycopy(data, 0, buf, OFF, data.length);
        return buf;
    }

    private static void assertSentinels(float[] buf, int len) {
        for (int i = 0; i < OFF; i++) {
            assertEquals(SENTINEL, buf[i], "write before the region");
            assertEquals(SENTINEL, buf[OFF + len + i], "write after the region");
        }
    }

    private static float[] random(Random rnd, int len) {
        float[] a = new float[len];
        for (int i = 0; i < len; i++) {
            a[i] = (float) rnd.nextGaussian();
        }
        return a;
    }

    private static double[] randomDouble(Random rnd, int len) {
        double[] a = new double[len];
        for (int i = 0; i < len; i++) {
            a[i] = rnd.nextGaussian();
        }
        return a;
    }
}
