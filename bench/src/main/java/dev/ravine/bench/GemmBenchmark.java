package dev.ravine.bench;

import dev.ravine.kernel.Gemm;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * GEMM throughput. The time unit is nanoseconds so that the auxiliary counter {@code gemm:flops}, which counts
 * 2*m*n*k per call, reads directly in GFLOP/s (flops per ns); the primary score is calls per ns.
 *
 * <p>{@code shape} is m x k x n. The MLP training shapes (batch 128, 784 -> 512 layer) are the forward product
 * 128x784x512 (NN), the input gradient dY * W^T = 128x512x784 (NT) and the weight gradient X^T * dY = 784x128x512 (TN).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class GemmBenchmark {
    @Param({"1024x1024x1024:NN", "128x784x512:NN", "128x512x784:NT", "784x128x512:TN"})
    public String problem;

    private int m;
    private int n;
    private int k;
    private boolean transA;
    private boolean transB;
    private float[] a;
    private float[] b;
    private float[] c;

    /** Flop counter; with the nanosecond unit, JMH reports it in GFLOP/s. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        public long flops;
    }

    @Setup(Level.Trial)
    public void setUp() {
        String[] parts = problem.split(":");
        String[] sizes = parts[0].split("x");
        m = Integer.parseInt(sizes[0]);
        k = Integer.parseInt(sizes[1]);
        n = Integer.parseInt(sizes[2]);
        transA = parts[1].charAt(0) == 'T';
        transB = parts[1].charAt(1) == 'T';
        SplittableRandom random = new SplittableRandom(42);
        a = random(random, m * k);
        b = random(random, k * n);
        c = new float[m * n];
        System.out.println("# GEMM implementation: " + Gemm.implementation());
    }

    @Benchmark
    public float[] gemm(Flops counter) {
        Gemm.gemm(transA, transB, m, n, k, 1f, a, 0, transA ? m : k, b, 0, transB ? k : n, 0f, c, 0, n);
        counter.flops += 2L * m * n * k;
        return c;
    }

    private static float[] random(SplittableRandom random, int size) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) values[i] = (float) random.nextDouble(-1, 1);
        return values;
    }
}
