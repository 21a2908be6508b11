package dev.ravine.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.function.LongToDoubleFunction;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's measured FMA peak, the ceiling that GEMM figures are a share of: each thread runs independent
 * chains of vector FMAs on registers (no memory traffic), at several chain counts, and the best count's rate is the
 * peak. No one count is best everywhere: enough chains must be in flight to cover the FMA latency on every pipe,
 * but the chains and the two operands must also fit the register file, or the loop spills. On the Intel Xeon
 * (model 167), one thread, GFLOP per CPU-second, 8 chains ran 166 (512-bit) and 83 (256-bit), 10 185 and 94,
 * 12 189 and 97, 16 211 and 102, 20 211 and 75 (spilling at 256 bits). On an AMD Zen 3 (16 ymm registers), one
 * thread, thread CPU time, 2026-12-06: 8 chains 81-88, 10 79-90, 12 73-81, 16 65-74, so 16 chains, the count used
 * until then, reported 20% below the peak there. Prints GFLOP/s of wall-clock time and per CPU-second x threads,
 * as GemmFlops does, and the chain count that reached it. Usage: FmaPeak [threads (2)]
 */
public final class FmaPeak {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** FMAs per chain in a timed round, whatever the chain count: about 0.3-0.6 s on one core. */
    private static final long FMAS_PER_ROUND = 400_000_000L;
    private static final int ROUNDS = 5;
    private static final int[] CHAINS = {8, 10, 12, 16};

    private FmaPeak() {}

    public static void main(String[] args) throws InterruptedException {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        double best = 0, bestPerCpu = 0;
        int bestChains = 0;
        for (int chains : CHAINS) {
            LongToDoubleFunction loop = loop(chains);
            for (int i = 0; i < 3; i++) loop.applyAsDouble(FMAS_PER_ROUND / chains / 20); // warm-up: C2 compiles it
            double[] rates = bestRates(loop, FMAS_PER_ROUND / chains, chains, threads);
            if (rates[0] > best) bestChains = chains;
            best = Math.max(best, rates[0]);
            bestPerCpu = Math.max(bestPerCpu, rates[1]);
        }
        System.out.printf("FMA peak: %.1f GFLOP/s (%d-bit vectors, %d threads, best of %s chains: %d); %.1f per CPU-second x %d threads%n",
                best, SPECIES.vectorBitSize(), threads, java.util.Arrays.toString(CHAINS), bestChains, bestPerCpu, threads);
    }

    /**
     * The best of {@link #ROUNDS} rounds of {@code threads} threads each running {@code iterations} steps of the
     * loop: GFLOP/s of wall-clock time, and per CPU-second of the process x threads.
     */
    private static double[] bestRates(LongToDoubleFunction loop, long iterations, int chains, int threads)
            throws InterruptedException {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        double best = 0, bestPerCpu = 0;
        double[] sink = new double[threads];
        for (int round = 0; round < ROUNDS; round++) {
            Thread[] workers = new Thread[threads];
            long start = System.nanoTime(), cpuStart = os.getProcessCpuTime();
            for (int t = 0; t < threads; t++) {
                int id = t;
                workers[t] = new Thread(() -> sink[id] = loop.applyAsDouble(iterations));
                workers[t].start();
            }
            for (Thread w : workers) w.join();
            long wall = System.nanoTime() - start, cpu = os.getProcessCpuTime() - cpuStart;
            double flops = 2.0 * chains * SPECIES.length() * iterations * threads;
            best = Math.max(best, flops / wall);
            bestPerCpu = Math.max(bestPerCpu, flops / cpu * threads);
        }
        if (sink[0] == 42) System.out.print("");
        return new double[] {best, bestPerCpu};
    }

    /**
     * The loop with {@code chains} chains. Each count is its own method because the chains must be named locals for
     * C2 to keep them in registers (vectors in an array, or passed to a call that is not inlined, are boxed).
     */
    private static LongToDoubleFunction loop(int chains) {
        return switch (chains) {
            case 8 -> FmaPeak::chains8;
            case 10 -> FmaPeak::chains10;
            case 12 -> FmaPeak::chains12;
            case 16 -> FmaPeak::chains16;
            default -> throw new IllegalArgumentException("no loop with " + chains + " chains");
        };
    }

    /** 8 independent FMA chains for {@code iterations} steps; returns a lane so the work is not dead. */
    private static float chains8(long iterations) {
        FloatVector a = FloatVector.broadcast(SPECIES, 0.999f), b = FloatVector.broadcast(SPECIES, 0.001f);
        FloatVector c0 = FloatVector.broadcast(SPECIES, 1f);
        FloatVector c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
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

    /** 10 independent FMA chains for {@code iterations} steps; returns a lane so the work is not dead. */
    private static float chains10(long iterations) {
        FloatVector a = FloatVector.broadcast(SPECIES, 0.999f), b = FloatVector.broadcast(SPECIES, 0.001f);
        FloatVector c0 = FloatVector.broadcast(SPECIES, 1f);
        FloatVector c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0, c8 = c0;
        FloatVector c9 = c0;
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
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).lane(0);
    }

    /** 12 independent FMA chains for {@code iterations} steps; returns a lane so the work is not dead. */
    private static float chains12(long iterations) {
        FloatVector a = FloatVector.broadcast(SPECIES, 0.999f), b = FloatVector.broadcast(SPECIES, 0.001f);
        FloatVector c0 = FloatVector.broadcast(SPECIES, 1f);
        FloatVector c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0, c8 = c0;
        FloatVector c9 = c0, c10 = c0, c11 = c0;
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
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11).lane(0);
    }

    /** 16 independent FMA chains for {@code iterations} steps; returns a lane so the work is not dead. */
    private static float chains16(long iterations) {
        FloatVector a = FloatVector.broadcast(SPECIES, 0.999f), b = FloatVector.broadcast(SPECIES, 0.001f);
        FloatVector c0 = FloatVector.broadcast(SPECIES, 1f);
        FloatVector c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0, c8 = c0;
        FloatVector c9 = c0, c10 = c0, c11 = c0, c12 = c0, c13 = c0, c14 = c0, c15 = c0;
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
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11).add(c12).add(c13).add(c14).add(c15).lane(0);
    }
}
