package dev.ravine.kernel;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.SplittableRandom;

/**
 * The timed trial behind {@link GemmTuner}: one 256 x 512 x 512 product (NN, the MLP's sizes; 134 MFLOP, about a
 * millisecond) on the calling thread alone, timed in that thread's CPU time so that other work on the machine
 * counts as little as it can. Its budget is CPU time too, with a wall-clock cap for a thread that gets no CPU.
 *
 * <p>Before a kernel is timed it is warmed on a 48 x 256 x 64 product (1.6 MFLOP) until that runs at compiled
 * speed: interpreted or C1-compiled, Vector API code runs below 1 GFLOP/s (the Xeon's first 302 MFLOP product
 * took 605 ms), so timing the full product cold would spend the budget on the interpreter.
 */
final class GemmTrial implements GemmTuner.Trial {
    static final int M = 256;
    static final int K = 512;
    static final int N = 512;

    private static final int WARM_M = 48;
    private static final int WARM_K = 256;
    private static final int WARM_N = 64;
    /** Warm-up products at most, per kernel. */
    private static final int WARM_CALLS = 400;
    /**
     * Compiled speed, GFLOP per CPU-second, for the warm-up product: 1.5 per vector lane (24 at 512 bits), a small
     * share of what C2's code does on it and many times what the interpreter does.
     */
    private static final double COMPILED_GFLOPS = 1.5 * MicroKernel.LANES;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final float[] a;
    private final float[] b;
    private final float[] c = new float[M * N];
    private final float[] warmC = new float[WARM_M * WARM_N];
    private final long budgetNanos;
    private final long wallCapNanos;
    private final long cpuStart;
    private final long wallStart = System.nanoTime();

    GemmTrial(long budgetNanos, long wallCapNanos) {
        this.budgetNanos = budgetNanos;
        this.wallCapNanos = wallCapNanos;
        SplittableRandom random = new SplittableRandom(13);
        a = random(random, M * K);
        b = random(random, K * N);
        cpuStart = cpuNanos();
    }

    @Override
    public double seconds(VectorGemm kernel) {
        long start = cpuNanos();
        kernel.gemm(false, false, M, N, K, 1f, a, 0, K, b, 0, N, 0f, c, 0, N);
        return (cpuNanos() - start) / 1e9;
    }

    @Override
    public void warm(VectorGemm kernel) {
        double flops = 2.0 * WARM_M * WARM_N * WARM_K;
        for (int call = 0; call < WARM_CALLS && !spent(); call++) {
            long start = cpuNanos();
            kernel.gemm(false, false, WARM_M, WARM_N, WARM_K, 1f, a, 0, WARM_K, b, 0, WARM_N, 0f, warmC, 0, WARM_N);
            long nanos = Math.max(1, cpuNanos() - start);
            if (flops / nanos >= COMPILED_GFLOPS) return;
        }
    }

    @Override
    public boolean spent() {
        return cpuNanos() - cpuStart > budgetNanos || System.nanoTime() - wallStart > wallCapNanos;
    }

    /** CPU time the trial has used so far. */
    long cpuUsedNanos() {
        return cpuNanos() - cpuStart;
    }

    private static long cpuNanos() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    private static float[] random(SplittableRandom random, int size) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) values[i] = (float) random.nextDouble(-1, 1);
        return values;
    }
}
