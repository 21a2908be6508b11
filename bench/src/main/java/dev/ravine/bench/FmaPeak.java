package dev.ravine.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's measured FMA peak, the ceiling that GEMM figures are a share of: each thread runs 8 independent
 * chains of vector FMAs on registers (no memory traffic), which covers the FMA latency of two pipes. Prints
 * GFLOP/s of wall-clock time and per CPU-second x threads, as GemmFlops does. Usage: FmaPeak [threads (2)]
 */
public final class FmaPeak {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final long ITERATIONS = 50_000_000L;

    private FmaPeak() {}

    public static void main(String[] args) throws InterruptedException {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        for (int i = 0; i < 3; i++) chains(ITERATIONS / 10); // warm-up: C2 compiles the loop
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        double best = 0, bestPerCpu = 0;
        for (int round = 0; round < 5; round++) {
            Thread[] workers = new Thread[threads];
            float[] sink = new float[threads];
            long start = System.nanoTime(), cpuStart = os.getProcessCpuTime();
            for (int t = 0; t < threads; t++) {
                int id = t;
                workers[t] = new Thread(() -> sink[id] = chains(ITERATIONS));
                workers[t].start();
            }
            for (Thread w : workers) w.join();
            long wall = System.nanoTime() - start, cpu = os.getProcessCpuTime() - cpuStart;
            double flops = 2.0 * 8 * SPECIES.length() * ITERATIONS * threads;
            best = Math.max(best, flops / wall);
            bestPerCpu = Math.max(bestPerCpu, flops / cpu * threads);
            if (sink[0] == 42f) System.out.print("");
        }
        System.out.printf("FMA peak: %.1f GFLOP/s (%d-bit vectors, %d threads); %.1f per CPU-second x %d threads%n", best,
                SPECIES.vectorBitSize(), threads, bestPerCpu, threads);
    }

    /** 8 independent FMA chains for {@code iterations} steps; returns a lane so the work is not dead. */
    private static float chains(long iterations) {
        FloatVector a = FloatVector.broadcast(SPECIES, 0.999f), b = FloatVector.broadcast(SPECIES, 0.001f);
        FloatVector c0 = FloatVector.broadcast(SPECIES, 1f), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
        for (long i = 0; i < iterations; i++) {
            c0 = c0.fma(a, b);
            c1 = c1.fma(a, b);
            c2 = c2.fma(a, b);
            c3 = c3.fma(a, b);
            c4 = c4.fma(a, b);
            c5 = c5.fma(a, b);
            c6 = c6.fma(a, b);
            c7 = c7.fma(a, b);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).lane(0);
    }
}
