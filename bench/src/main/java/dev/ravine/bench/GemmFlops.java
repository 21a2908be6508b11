package dev.ravine.bench;

import dev.ravine.kernel.ComputePool;
import dev.ravine.kernel.Gemm;
import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;

/**
 * A quick GEMM throughput check without JMH: warms up, then times repeated products and prints the best of several
 * one-second rounds. Usage: GemmFlops [m k n [NN|NT|TN|TT]] (default 1024 1024 1024 NN).
 *
 * <p>Also prints GFLOP per second of the process's CPU time, times the thread count: on a machine shared with other
 * jobs the wall-clock rate falls with the load, while the rate per CPU-second only falls with what the neighbours
 * do to the caches, so it estimates the quiet-machine figure.
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
        Gemm.tuneNow(); // a first-use tuning trial, if one is due, runs now rather than during the rounds
        timeRound(product); // warm-up: lets C2 compile the kernel before anything is measured
        double best = 0, bestPerCpu = 0;
        for (int round = 0; round < ROUNDS; round++) {
            double[] rates = timeRound(product);
            best = Math.max(best, rates[0]);
            bestPerCpu = Math.max(bestPerCpu, rates[1]);
        }
        String name = m == n && n == k ? m + "^3" : m + "x" + k + "x" + n + " " + transposes;
        double flops = 2.0 * m * n * k / 1e9;
        int threads = ComputePool.threads();
        System.out.printf("GEMM %s: %.1f GFLOP/s (%s, %d threads); %.1f per CPU-second x %d threads%n", name,
                best * flops, Gemm.configuration(), threads, bestPerCpu * flops * threads, threads);
    }

    /** Products per second over one round: of wall-clock time, and of the process's CPU time. */
    private static double[] timeRound(Runnable product) {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long start = System.nanoTime();
        long cpuStart = os.getProcessCpuTime();
        long calls = 0;
        long elapsed;
        do {
            product.run();
            calls++;
            elapsed = System.nanoTime() - start;
        } while (elapsed < ROUND_NANOS);
        long cpu = os.getProcessCpuTime() - cpuStart;
        return new double[] {calls * 1e9 / elapsed, calls * 1e9 / cpu};
    }

    private static float[] random(SplittableRandom random, int size) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) values[i] = (float) random.nextDouble(-1, 1);
        return values;
    }
}
