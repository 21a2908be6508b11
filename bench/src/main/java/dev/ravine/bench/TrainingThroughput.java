package dev.ravine.bench;

import com.sun.management.ThreadMXBean;
import dev.ravine.data.Dataset;
import dev.ravine.kernel.ComputePool;
import dev.ravine.kernel.Gemm;
import dev.ravine.nn.Activation;
import dev.ravine.nn.Conv2d;
import dev.ravine.nn.Flatten;
import dev.ravine.nn.Linear;
import dev.ravine.nn.Lstm;
import dev.ravine.nn.MaxPool2d;
import dev.ravine.nn.Module;
import dev.ravine.nn.Residual;
import dev.ravine.nn.Sequential;
import dev.ravine.nn.loss.CrossEntropyLoss;
import dev.ravine.nn.loss.Loss;
import dev.ravine.optim.Optimizer;
import dev.ravine.optim.Optimizers;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Training throughput (samples/s) of the benchmark workloads, Adam (lr 1e-3), synthetic Gaussian inputs and uniform
 * labels over 10 classes (the arithmetic is the same as for real data, and no data files are needed):
 * <ul>
 *   <li>{@code mlp}: 784-512-256-10 ReLU on 28x28, batch 128 ({@code mlp-b32}, {@code mlp-b512}: other batches);</li>
 *   <li>{@code cnn}: conv32-relu-pool-conv64-relu-pool-128-10 on 28x28, batch 128 ({@code cnn-b32}, {@code cnn-b512});</li>
 *   <li>{@code lstm}: one LSTM layer (32 inputs, hidden 128) over 50 steps, the last step into a 10-way linear;</li>
 *   <li>{@code rescnn}: a small residual CNN on 32x32x3: conv16, a residual block of two conv16, pool, conv32, a
 *       residual block of two conv32, pool, linear 10 (3x3 convolutions, padding 1, ReLU).</li>
 * </ul>
 * Prints one line per workload, the same format as bench/pytorch_peer.py and the DJL peer, then the workload's
 * allocation per step, GC share and process CPU time per step, and the process's peak RSS, so bench/compare-training.sh can put them side by side.
 *
 * <p>Usage: TrainingThroughput [workload ... | both | all] [--batches N]
 */
public final class TrainingThroughput {
    static final List<String> WORKLOADS = List.of("mlp", "cnn", "mlp-b32", "mlp-b512", "cnn-b32", "cnn-b512", "lstm", "rescnn");
    private static final int ROUNDS = 5;

    public static void main(String[] args) {
        List<String> names = new java.util.ArrayList<>();
        int batches = 0;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--batches")) batches = Integer.parseInt(args[++i]);
            else if (args[i].equals("both")) names.addAll(List.of("mlp", "cnn"));
            else if (args[i].equals("all")) names.addAll(WORKLOADS);
            else if (WORKLOADS.contains(args[i])) names.add(args[i]);
            else throw new IllegalArgumentException("unknown workload '" + args[i] + "': expected one of " + WORKLOADS + ", both or all");
        }
        if (names.isEmpty()) names.addAll(List.of("mlp", "cnn"));
        System.out.printf("ravine: GEMM %s, %d threads%n", Gemm.implementation(), ComputePool.threads());
        for (String name : names) run(name, batches);
        System.out.printf("ravine: peak RSS %d MB%n", peakRssKb() / 1024);
    }

    private static void run(String name, int batches) {
        Rng rng = new Rng(1);
        int batch = name.endsWith("-b32") ? 32 : name.endsWith("-b512") ? 512 : 128;
        String model = name.replaceAll("-b\\d+$", "");
        switch (model) {
            case "mlp" -> report(name, mlp(rng), new int[] {1, 28, 28}, batch, batches > 0 ? batches : 100 * 128 / batch);
            case "cnn" -> report(name, cnn(rng), new int[] {1, 28, 28}, batch, batches > 0 ? batches : 30 * 128 / batch);
            case "lstm" -> report(name, lstm(rng), new int[] {50, 32}, batch, batches > 0 ? batches : 20);
            case "rescnn" -> report(name, residualCnn(rng), new int[] {3, 32, 32}, batch, batches > 0 ? batches : 10);
            default -> throw new IllegalStateException(name);
        }
    }

    /** 25,600 Gaussian 28x28 images with uniform labels over 10 classes (seed 3): 200 batches of 128 for the doctor's benches. */
    static Dataset syntheticDigits() {
        Rng data = new Rng(3);
        int n = 128 * 200;
        float[] x = new float[n * 784];
        int[] y = new int[n];
        for (int i = 0; i < x.length; i++) x[i] = (float) data.nextGaussian();
        for (int i = 0; i < n; i++) y[i] = data.nextInt(10);
        return Dataset.classification(x, new int[] {1, 28, 28}, y, 10);
    }

    static Module mlp(Rng rng) {
        return new Sequential(new Flatten(), new Linear(784, 512, true, rng), Activation.relu(), new Linear(512, 256, true, rng),
                Activation.relu(), new Linear(256, 10, true, rng));
    }

    static Module cnn(Rng rng) {
        return new Sequential(new Conv2d(1, 32, 3, 1, 1, true, rng, null), Activation.relu(), new MaxPool2d(2, 2, 0),
                new Conv2d(32, 64, 3, 1, 1, true, rng, null), Activation.relu(), new MaxPool2d(2, 2, 0), new Flatten(),
                new Linear(64 * 7 * 7, 128, true, rng), Activation.relu(), new Linear(128, 10, true, rng));
    }

    static Module lstm(Rng rng) {
        return new Sequential(new Lstm(32, 128, 1, false, rng), new Linear(128, 10, true, rng));
    }

    static Module residualCnn(Rng rng) {
        return new Sequential(conv(3, 16, rng), Activation.relu(),
                new Residual(new Sequential(conv(16, 16, rng), Activation.relu(), conv(16, 16, rng)), new int[] {16, 32, 32}, rng),
                Activation.relu(), new MaxPool2d(2, 2, 0), conv(16, 32, rng), Activation.relu(),
                new Residual(new Sequential(conv(32, 32, rng), Activation.relu(), conv(32, 32, rng)), new int[] {32, 16, 16}, rng),
                Activation.relu(), new MaxPool2d(2, 2, 0), new Flatten(), new Linear(32 * 8 * 8, 10, true, rng));
    }

    private static Conv2d conv(int in, int out, Rng rng) {
        return new Conv2d(in, out, 3, 1, 1, true, rng, null);
    }

    static void report(String name, Module model, int[] sample, int batch, int measured) {
        Rng rng = new Rng(2);
        int[] shape = new int[sample.length + 1];
        shape[0] = batch;
        System.arraycopy(sample, 0, shape, 1, sample.length);
        Tensor x = Tensor.normal(rng, 0, 1, shape);
        float[] labels = new float[batch];
        for (int i = 0; i < batch; i++) labels[i] = rng.nextInt(10);
        Tensor y = Tensor.of(labels, batch);
        Loss loss = new CrossEntropyLoss();
        Optimizer opt = Optimizers.adam(model.namedParameters(), 1e-3);
        int warmup = Math.max(5, measured / 4);
        for (int i = 0; i < warmup; i++) step(model, loss, opt, x, y);
        // Five rounds, median reported: a shared 2-core machine is noisy, one timing is not a figure.
        double[] rates = new double[ROUNDS];
        long allocated0 = allocatedBytes(), gc0 = gcMillis(), cpu0 = processCpuNanos(), t00 = System.nanoTime();
        for (int r = 0; r < ROUNDS; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < measured; i++) step(model, loss, opt, x, y);
            rates[r] = measured * batch / ((System.nanoTime() - t0) * 1e-9);
        }
        double elapsedMs = (System.nanoTime() - t00) * 1e-6;
        double allocatedPerStep = (allocatedBytes() - allocated0) / (double) (ROUNDS * measured);
        double cpuMsPerStep = (processCpuNanos() - cpu0) * 1e-6 / (ROUNDS * measured);
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        System.out.printf("%s: %.0f samples/s (median of %d rounds of %d batches of %d; min %.0f, max %.0f)%n", name, sorted[ROUNDS / 2],
                ROUNDS, measured, batch, sorted[0], sorted[ROUNDS - 1]);
        System.out.printf("%s: allocated %.1f MB per step, GC %.1f%% of the time%n", name, allocatedPerStep / 1e6,
                100.0 * (gcMillis() - gc0) / elapsedMs);
        // CPU time is what a step costs whatever else the machine runs; wall time on a shared machine is not.
        System.out.printf("%s: %.2f ms of process CPU time per step (%.2f ms wall)%n", name, cpuMsPerStep, elapsedMs / (ROUNDS * measured));
    }

    private static void step(Module model, Loss loss, Optimizer opt, Tensor x, Tensor y) {
        Tensor l = loss.compute(model.call(x), y);
        opt.zeroGrad();
        l.backward();
        opt.step();
    }

    /** CPU time of the whole process so far (every thread: the caller, the compute pool, GC and JIT). */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Bytes allocated so far by every live thread (the caller and the compute pool's workers). */
    private static long allocatedBytes() {
        return ((ThreadMXBean) ManagementFactory.getThreadMXBean()).getTotalThreadAllocatedBytes();
    }

    private static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) total += Math.max(0, gc.getCollectionTime());
        return total;
    }

    /** VmHWM from /proc/self/status (Linux), in KiB; 0 where it cannot be read. */
    static long peakRssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("\\D", ""));
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
