package dev.ravine.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The scalar GEMM and the vector GEMM with every micro-kernel shape (whatever this host would pick) against a
 * double-precision triple loop, through the public dispatch (tiling, threads).
 */
class GemmTest {
    /** Fills the array outside the matrices, to catch writes (and reads, via NaN) beyond them. */
    private static final float SENTINEL = 12345f;

    /**
     * m, n, k: degenerate, prime, and either side of the vector kernels' register blocks (12 x 32, 8 x 32, 6 x 32
     * and 4 x 32 at 512 bits) and cache blocks (mc about 64, kc 256, the chain depth 512, nc 512).
     */
    private static final int[][] SHAPES = {
            {1, 1, 1}, {7, 13, 17}, {1, 100, 1}, {100, 1, 1}, {1, 1, 100}, {1, 37, 300}, {40, 1, 70},
            {63, 64, 65}, {64, 65, 63}, {65, 63, 64}, {8, 32, 512}, {9, 33, 513}, {129, 40, 511},
            {17, 513, 20}, {23, 70, 1025}, {257, 129, 300}, {300, 200, 500},
    };

    /** Reference results and error bounds by {@link Problem#key}, shared by the kernels' cases. */
    private static final Map<String, Expectation> EXPECTATIONS = new ConcurrentHashMap<>();

    private record Expectation(double[] values, double[] tolerances) {}

    /** alpha, beta: overwrite (C starts as NaN), accumulate, and general. */
    private static final float[][] SCALES = {{1f, 0f}, {1f, 1f}, {-0.75f, 0.5f}};

    /**
     * Blockings besides the default that the results must not depend on: small and ragged (so the depth is cut
     * into uneven stretches and C into many packed blocks), and one whole chain per call.
     */
    private static final GemmBlocking[] BLOCKINGS = {new GemmBlocking(20, 100, 70), new GemmBlocking(64, 512, 512)};

    static List<GemmKernel> kernels() {
        List<GemmKernel> kernels = new ArrayList<>(List.of(new ScalarGemm()));
        if (VectorGemm.isUseful()) {
            for (MicroKernel micro : MicroKernelChoice.all()) kernels.add(new VectorGemm(micro));
            kernels.add(new VectorGemm(new MicroKernel8x2(), BLOCKINGS[0]));
        }
        return kernels;
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (GemmKernel kernel : kernels()) {
            for (int[] shape : SHAPES) {
                for (int t = 0; t < 4; t++) {
                    cases.add(Arguments.of(label(kernel), kernel, shape[0], shape[1], shape[2], (t & 2) != 0, (t & 1) != 0));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {2}x{3}x{4} transA={5} transB={6}")
    @MethodSource("cases")
    void matchesReference(String name, GemmKernel kernel, int m, int n, int k, boolean transA, boolean transB) {
        for (float[] scale : SCALES) {
            Problem packed = Problem.random(m, n, k, transA, transB, 0, 1);
            check(kernel, packed, scale[0], scale[1]);
        }
        // Offsets and leading dimensions wider than the matrices.
        check(kernel, Problem.random(m, n, k, transA, transB, 5, 3), -0.75f, 0.5f);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("namedKernels")
    void alphaZeroAndEmptyDepthOnlyScaleC(String name, GemmKernel kernel) {
        float[] a = {Float.NaN, Float.NaN, Float.NaN, Float.NaN};
        float[] b = {Float.NaN, Float.NaN, Float.NaN, Float.NaN};
        float[] c = {1f, 2f, 3f, 4f};
        Gemm.gemm(kernel, false, false, 2, 2, 2, 0f, a, 0, 2, b, 0, 2, 0.5f, c, 0, 2);
        assertArrayEquals(new float[] {0.5f, 1f, 1.5f, 2f}, c);
        float[] nanC = {Float.NaN, Float.NaN, Float.NaN, Float.NaN};
        Gemm.gemm(kernel, true, true, 2, 2, 0, 1f, new float[0], 0, 2, new float[0], 0, 1, 0f, nanC, 0, 2);
        assertArrayEquals(new float[4], nanC);
    }

    /**
     * A zero sum times a negative alpha is -0 (combine's sum * alpha), also where a full block goes straight from the
     * registers into C as fma(sum, alpha, -0): an addend of +0 would turn it into +0. Over the chain depth (k 600)
     * the second depth block adds onto the first's -0 with beta 1, which keeps it: -0 * alpha + -0. The vector
     * kernels only: ScalarGemm gives +0 here (its own order of operations), a sign the element-wise tests never pin.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("namedKernels")
    void zeroSumsTimesNegativeAlphaStayNegativeZero(String name, GemmKernel kernel) {
        assumeTrue(kernel instanceof VectorGemm);
        int m = 48, n = 64, k = 600;
        float[] c = new float[m * n];
        Arrays.fill(c, Float.NaN);
        Gemm.gemm(kernel, false, false, m, n, k, -1f, new float[m * k], 0, k, new float[k * n], 0, n, 0f, c, 0, n);
        for (int i = 0; i < c.length; i++) {
            assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(c[i]), "C[" + i + "] = " + c[i]);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("namedKernels")
    void batchedWithBroadcastOperands(String name, GemmKernel kernel) {
        int batch = 5, m = 33, n = 70, k = 90;
        SplittableRandom random = new SplittableRandom(7);
        for (boolean shareA : new boolean[] {true, false}) {
            float[] a = randomArray(random, shareA ? m * k : batch * m * k);
            float[] b = randomArray(random, shareA ? batch * k * n : k * n);
            float[] c = new float[batch * m * n];
            Arrays.fill(c, Float.NaN);
            int strideA = shareA ? 0 : m * k, strideB = shareA ? k * n : 0;
            Gemm.gemmBatched(kernel, batch, false, false, m, n, k, 1f, a, 0, k, strideA, b, 0, n, strideB,
                    0f, c, 0, n, m * n);
            for (int e = 0; e < batch; e++) {
                Problem entry = new Problem(m, n, k, false, false, a, e * strideA, k, b, e * strideB, n,
                        new float[m * n], 0, n);
                double[] expected = entry.reference(1f, 0f);
                entry.assertClose(expected, Arrays.copyOfRange(c, e * m * n, (e + 1) * m * n), 0, 1f, 0f);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("namedKernels")
    void batchedIntoOneOutputAccumulatesInOrder(String name, GemmKernel kernel) {
        int batch = 4, m = 70, n = 90, k = 130;
        SplittableRandom random = new SplittableRandom(11);
        float[] a = randomArray(random, batch * m * k);
        float[] b = randomArray(random, batch * k * n);
        float[] c = randomArray(random, m * n);
        double[] expected = new double[m * n];
        for (int i = 0; i < expected.length; i++) expected[i] = c[i];
        for (int e = 0; e < batch; e++) {
            Problem entry = new Problem(m, n, k, true, false, a, e * m * k, m, b, e * k * n, n, new float[m * n], 0, n);
            double[] product = entry.reference(1f, 0f);
            for (int i = 0; i < expected.length; i++) expected[i] += product[i];
        }
        Gemm.gemmBatched(kernel, batch, true, false, m, n, k, 1f, a, 0, m, m * k, b, 0, n, k * n, 1f, c, 0, n, 0);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], c[i], 1e-5 * Math.sqrt(batch * k) * batch * k, "element " + i);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("namedKernels")
    void sameBitsForAnyThreadCount(String name, GemmKernel kernel) {
        for (int[] shape : new int[][] {{300, 200, 500}, {257, 513, 70}, {1, 1000, 3000}}) {
            for (int t = 0; t < 4; t++) {
                Problem problem = Problem.random(shape[0], shape[1], shape[2], (t & 2) != 0, (t & 1) != 0, 0, 1);
                float[] single = runWithThreads(1, kernel, problem);
                for (int threads : new int[] {2, 3, 5}) {
                    assertArrayEquals(single, runWithThreads(threads, kernel, problem),
                            threads + " threads, shape " + Arrays.toString(shape) + ", transposes " + t);
                }
                assertArrayEquals(single, runWithThreads(2, kernel, problem), "repeated run");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("namedKernels")
    void batchedSameBitsForAnyThreadCount(String name, GemmKernel kernel) {
        int batch = 3, m = 100, n = 120, k = 200;
        SplittableRandom random = new SplittableRandom(3);
        float[] a = randomArray(random, batch * m * k);
        float[] b = randomArray(random, k * n);
        float[][] results = new float[4][];
        int[] threadCounts = {1, 2, 3, 4};
        for (int i = 0; i < threadCounts.length; i++) {
            float[] c = new float[batch * m * n];
            ComputePool.runWithThreads(threadCounts[i], () -> Gemm.gemmBatched(kernel, batch, false, true, m, n, k,
                    1f, a, 0, k, m * k, b, 0, k, 0, 0f, c, 0, n, m * n));
            results[i] = c;
        }
        for (int i = 1; i < results.length; i++) assertArrayEquals(results[0], results[i], threadCounts[i] + " threads");
    }

    /**
     * The shapes differ only in how C is cut into register blocks; each element's FMA chain is the same, so the
     * machine's choice of shape can never change a result (or a fixture).
     */
    @Test
    void everyMicroKernelShapeGivesTheSameBits() {
        if (!VectorGemm.isUseful()) return;
        List<MicroKernel> shapes = MicroKernelChoice.all();
        for (int[] shape : new int[][] {{129, 200, 700}, {37, 61, 1030}, {128, 512, 784}}) {
            for (int t = 0; t < 4; t++) {
                Problem problem = Problem.random(shape[0], shape[1], shape[2], (t & 2) != 0, (t & 1) != 0, 0, 1);
                float[] first = runWithThreads(2, new VectorGemm(shapes.get(0)), problem);
                for (MicroKernel micro : shapes.subList(1, shapes.size())) {
                    assertArrayEquals(first, runWithThreads(2, new VectorGemm(micro), problem),
                            micro.shape() + " against " + shapes.get(0).shape() + ", shape " + Arrays.toString(shape)
                                    + ", transposes " + t);
                }
                for (GemmBlocking blocking : BLOCKINGS) {
                    for (MicroKernel micro : shapes) {
                        assertArrayEquals(first, runWithThreads(2, new VectorGemm(micro, blocking), problem),
                                micro.shape() + " " + blocking + " against the default, shape "
                                        + Arrays.toString(shape) + ", transposes " + t);
                    }
                }
            }
        }
    }

    @Test
    void blockingPropertiesOverrideTheDefault() {
        GemmBlocking base = new GemmBlocking(64, 256, 512);
        assertEquals(null, base.forcedOver());
        try {
            System.setProperty("ravine.gemm.kc", " 128 ");
            assertEquals(new GemmBlocking(64, 128, 512), base.forcedOver());
            System.setProperty("ravine.gemm.nc", "zero");
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class, base::forcedOver);
            assertTrue(error.getMessage().contains("ravine.gemm.nc"), error.getMessage());
        } finally {
            System.clearProperty("ravine.gemm.kc");
            System.clearProperty("ravine.gemm.nc");
        }
        assertThrows(IllegalArgumentException.class, () -> new GemmBlocking(0, 256, 512));
    }

    @Test
    void picksAShapeThatFitsTheRegisterFile() {
        MicroKernel wide = MicroKernelChoice.forRegisters(32, true);
        MicroKernel narrow = MicroKernelChoice.forRegisters(16, true);
        MicroKernel unscheduled = MicroKernelChoice.forRegisters(16, false);
        assertEquals("8x2", wide.shape());
        assertEquals("8x2", MicroKernelChoice.forRegisters(32, false).shape());
        assertEquals("4x2", narrow.shape());
        assertEquals("6x2", unscheduled.shape());
        // Accumulators + B vectors + one broadcast must fit, or the kernel spills on every k step.
        assertTrue(wide.rows * wide.vectors + wide.vectors + 1 <= 32, wide.shape());
        assertTrue(narrow.rows * narrow.vectors + narrow.vectors + 1 <= 16, narrow.shape());
        assertTrue(unscheduled.rows * unscheduled.vectors + unscheduled.vectors + 1 <= 16, unscheduled.shape());
        int registers = MicroKernelChoice.vectorRegisters();
        assertTrue(registers == 16 || registers == 32, "registers " + registers);
    }

    @Test
    void rejectsOperandsOutsideTheirArrays() {
        float[] small = new float[5];
        float[] six = new float[6];
        assertThrows(IndexOutOfBoundsException.class,
                () -> Gemm.gemm(false, false, 2, 3, 3, 1f, small, 0, 3, new float[9], 0, 3, 0f, six, 0, 3));
        assertThrows(IndexOutOfBoundsException.class,
                () -> Gemm.gemm(false, false, 2, 3, 2, 1f, new float[4], 0, 2, six, 1, 3, 0f, six, 0, 3));
        assertThrows(IllegalArgumentException.class,
                () -> Gemm.gemm(false, false, 2, 3, 2, 1f, new float[4], 0, 1, six, 0, 3, 0f, new float[6], 0, 3));
        assertThrows(IllegalArgumentException.class,
                () -> Gemm.gemm(false, false, -1, 3, 2, 1f, new float[4], 0, 2, six, 0, 3, 0f, new float[6], 0, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> Gemm.gemmBatched(2, false, false, 2, 3, 2, 1f,
                new float[4], 0, 2, 0, six, 0, 3, 0, 0f, new float[6], 0, 3, 6));
    }

    @Test
    void reportsItsImplementation() {
        String implementation = Gemm.implementation();
        assertTrue(implementation.equals("scalar") || implementation.matches("vector\\(\\d+-bit, \\d+x\\d+\\)"),
                implementation);
    }

    static Stream<Arguments> namedKernels() {
        return kernels().stream().map(kernel -> Arguments.of(label(kernel), kernel));
    }

    /** The kernel's name, with the blocking where it has one, so that the cases' names differ. */
    private static String label(GemmKernel kernel) {
        return kernel instanceof VectorGemm vector ? kernel.name() + " " + vector.blocking() : kernel.name();
    }

    private static float[] runWithThreads(int threads, GemmKernel kernel, Problem problem) {
        float[] c = problem.c.clone();
        ComputePool.runWithThreads(threads, () -> Gemm.gemm(kernel, problem.transA, problem.transB,
                problem.m, problem.n, problem.k, 0.5f, problem.a, problem.aOff, problem.lda,
                problem.b, problem.bOff, problem.ldb, -1f, c, problem.cOff, problem.ldc));
        return c;
    }

    private static void check(GemmKernel kernel, Problem problem, float alpha, float beta) {
        if (beta == 0f) problem.fillC(Float.NaN);
        // The reference and the bounds depend only on the problem, so each kernel's case reuses them.
        Expectation expectation = EXPECTATIONS.computeIfAbsent(problem.key(alpha, beta),
                key -> new Expectation(problem.reference(alpha, beta), problem.tolerances(alpha, beta)));
        float[] c = problem.c.clone();
        Gemm.gemm(kernel, problem.transA, problem.transB, problem.m, problem.n, problem.k, alpha,
                problem.a, problem.aOff, problem.lda, problem.b, problem.bOff, problem.ldb,
                beta, c, problem.cOff, problem.ldc);
        problem.assertClose(expectation.values, expectation.tolerances, c, problem.cOff);
        problem.assertPaddingUntouched(c);
    }

    private static float[] randomArray(SplittableRandom random, int size) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) values[i] = (float) random.nextDouble(-1, 1);
        return values;
    }

    /** One product's operands as stored: matrices at an offset inside arrays, rows ld apart, SENTINEL around. */
    private record Problem(int m, int n, int k, boolean transA, boolean transB,
                           float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {

        static Problem random(int m, int n, int k, boolean transA, boolean transB, int offset, int ldPadding) {
            SplittableRandom random = new SplittableRandom(31L * m + 17L * n + k + (transA ? 5 : 0) + (transB ? 3 : 0));
            int aRows = transA ? k : m, aCols = transA ? m : k;
            int bRows = transB ? n : k, bCols = transB ? k : n;
            int lda = aCols + ldPadding - 1, ldb = bCols + ldPadding - 1, ldc = n + ldPadding - 1;
            return new Problem(m, n, k, transA, transB,
                    stored(random, offset, aRows, aCols, lda), offset, lda,
                    stored(random, offset + 1, bRows, bCols, ldb), offset + 1, ldb,
                    stored(random, offset + 2, m, n, ldc), offset + 2, ldc);
        }

        private static float[] stored(SplittableRandom random, int offset, int rows, int cols, int ld) {
            float[] data = new float[offset + rows * ld + 3];
            Arrays.fill(data, SENTINEL);
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < cols; j++) data[offset + r * ld + j] = (float) random.nextDouble(-1, 1);
            }
            return data;
        }

        float opA(int i, int p) {
            return a[aOff + (transA ? p * lda + i : i * lda + p)];
        }

        float opB(int p, int j) {
            return b[bOff + (transB ? j * ldb + p : p * ldb + j)];
        }

        void fillC(float value) {
            for (int i = 0; i < m; i++) Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, value);
        }

        double[] reference(float alpha, float beta) {
            double[] expected = new double[m * n];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    for (int p = 0; p < k; p++) sum += (double) opA(i, p) * opB(p, j);
                    double old = beta == 0f ? 0 : (double) beta * c[cOff + i * ldc + j];
                    expected[i * n + j] = alpha * sum + old;
                }
            }
            return expected;
        }

        /** Identifies a problem made by {@link #random} and the scales applied to it. */
        String key(float alpha, float beta) {
            return m + "," + n + "," + k + "," + transA + "," + transB + "," + aOff + "," + lda + "," + alpha + "," + beta;
        }

        /** Error bound: 1e-5 * sqrt(k) relative to the magnitude of the terms, which survives cancellation. */
        double[] tolerances(float alpha, float beta) {
            double[] tolerances = new double[m * n];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double magnitude = 0;
                    for (int p = 0; p < k; p++) magnitude += Math.abs((double) opA(i, p) * opB(p, j));
                    magnitude = Math.abs(alpha) * magnitude + Math.abs(beta == 0f ? 0 : beta * c[cOff + i * ldc + j]);
                    tolerances[i * n + j] = 1e-5 * Math.sqrt(Math.max(k, 1)) * magnitude + 1e-30;
                }
            }
            return tolerances;
        }

        void assertClose(double[] expected, float[] actual, int off, float alpha, float beta) {
            assertClose(expected, tolerances(alpha, beta), actual, off);
        }

        void assertClose(double[] expected, double[] tolerances, float[] actual, int off) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    float got = actual[off + i * ldc + j];
                    double tolerance = tolerances[i * n + j];
                    if (!(Math.abs(got - expected[i * n + j]) <= tolerance)) {
                        fail("C[" + i + "][" + j + "] = " + got + ", expected " + expected[i * n + j] + " +- " + tolerance);
                    }
                }
            }
        }

        void assertPaddingUntouched(float[] actual) {
            for (int idx = 0; idx < actual.length; idx++) {
                int rel = idx - cOff;
                boolean inside = rel >= 0 && rel / ldc < m && rel % ldc < n;
                if (!inside && actual[idx] != SENTINEL) fail("wrote outside C at index " + idx + ": " + actual[idx]);
            }
        }
    }
}
