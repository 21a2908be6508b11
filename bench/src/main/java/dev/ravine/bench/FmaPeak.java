package dev.ravine.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's measured FMA peak, the ceiling that GEMM figures are a share of: each thread runs 16 independent
 * chains of vector FMAs on registers (no memory traffic). 8 chains cover 4-cycle latency on two pipes on paper, but
 * on the Intel Xeon (model 167), one thread, GFLOP per CPU-second, 8 chains ran 166 (512-bit) and 83 (256-bit),
 * 10 185 and 94, 12 189 and 97, 16 211 and 102, 20 211 and 75 (spilling at 256 bits); 16 is the plateau. Prints
 * GFLOP/s of wall-clock time and per CPU-second x threads, as GemmFlops does. Usage: FmaPeak [threads (2)]
 */
public final class FmaPeak {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final long ITERATIONS = 25_000_000L;

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
            double flops = 2.0 * 16 * SPECIES.length() * ITERATIONS * threads;
            best = Math.max(best, flops / wall);
            bestPerCpu = Math.max(bestPerCpu, flops / cpu * threads);
            if (sink[0] == 42f) System.out.print("");
        }
        System.out.printf("FMA peak: %.1f GFLOP/s (%d-bit vectors, %d threads); %.1f per CPU-second x %d threads%n", best,
                SPECIES.vectorBitSize(), threads, bestPerCpu, threads);
    }

    /** 16 independent FMA chains for {@code iterations} steps; returns a lane so the work is not dead. */
    private static float chains(long iterations) {
        FloatVector a = FloatVector.broadcast(SPECIES, 0.999f), b = FloatVector.broadcast(SPECIES, 0.001f);
        FloatVector c0 = FloatVector.broadcast(SPECIES, 1f), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
        FloatVector c8 = c0, c9 = c0, c10 = c0, c11 = c0, c12 = c0, c13 = c0, c14 = c0, c15 = c0;
        for (long i = 0; i < iterations; i++) {
            c0 = c0.fma(a, b);
            c1 = c1.fma(a, b);
            c2 = c2.fma(a, b);
            c3 = c3.fma(a, b);
            c4 = c4.fma(a, b);
            c5 = c5.fma(a, b);
            c6 = c6.fma(a, b);
            c7 = c7.fma(a, b);
            c8 = c8.fma(a, b);
            c9 = c9.fma(a, b);
            c10 = c10.fma(a, b);
            c11 = c11.fma(a, b);
            c12 = c12.fma(a, b);
            c13 = c13.fma(a, b);
            c14 = c14.fma(a, b);
            c15 = c15.fma(a, b);
        }
        FloatVector low = c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7);
        return low.add(c8).add(c9).add(c10).add(c11).add(c12).add(c13).add(c14).add(c15).lane(0);
    }
}
