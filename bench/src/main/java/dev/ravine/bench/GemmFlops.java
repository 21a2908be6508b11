package dev.ravine.bench;

import dev.ravine.kernel.ComputePool;
import dev.ravine.kernel.Gemm;
import java.util.SplittableRandom;

/**
 * A quick GEMM throughput check without JMH: warms up, then times repeated products and prints the best of several
 * one-second rounds. Usage: GemmFlops [m k n [NN|NT|TN|TT]] (default 1024 1024 1024 NN).
 */
public final class GemmFlops {
    private static final int ROUNDS = 5;
    private static final long ROUND_NANOS = 1_000_000_000L;

    private GemmFlops() {}

    public static void main(String[] args) {
        int m = args.length >= 3 ? Integer.parseInt(args[0]) : 1024;
        int k = args.length >= 3 ? Integer.parseInt(args[1]) : 1024;
        int n = args.length >= 3 ? Integer.parseInt(args[2]) : 1024;
        String transposes = args.length >= 4 ? args[3] : "NN";
        boolean transA = transposes.charAt(0) == 'T', transB = transposes.charAt(1) == 'T';
        SplittableRandom random = new SplittableRandom(42);
        float[] a = random(random, m * k), b = random(random, k * n), c = new float[m * n];
        Runnable product = () -> Gemm.gemm(transA, transB, m, n, k, 1f, a, 0, transA ? m : k, b, 0, transB ? k : n,
                0f, c, 0, n);
        timeRound(product); // warm-up: lets C2 compile the kernel before anything is measured
        double best = 0;
        for (int round = 0; round < ROUNDS; round++) best = Math.max(best, timeRound(product));
        String name = m == n && n == k ? m + "^3" : m + "x" + k + "x" + n + " " + transposes;
        System.out.printf("GEMM %s: %.1f GFLOP/s (%s, %d threads)%n", name, best * 2.0 * m * n * k / 1e9,
                Gemm.implementation(), ComputePool.threads());
    }

    /** Products per second over one round. */
    private static double timeRound(Runnable product) {
        long start = System.nanoTime();
        long calls = 0;
        long elapsed;
        do {
            product.run();
            calls++;
            elapsed = System.nanoTime() - start;
        } while (elapsed < ROUND_NANOS);
        return calls * 1e9 / elapsed;
    }

    private static float[] random(SplittableRandom random, int size) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) values[i] = (float) random.nextDouble(-1, 1);
        return values;
    }
}
