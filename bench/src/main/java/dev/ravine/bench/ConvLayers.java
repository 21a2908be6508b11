package dev.ravine.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.ravine.autograd.Autograd;
import dev.ravine.kernel.ComputePool;
import dev.ravine.nn.functional.Functional;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Time per convolution layer of the benchmark CNNs (3 x 3, padding 1, batch 128): the forward pass, and the backward
 * pass (weight, bias and, but for a first layer, input gradients), as process CPU time per call (the mean over 15
 * calls after 5 of warm-up: the process clock ticks in 10 ms here) and wall time per call (the median). Run it twice to compare the paths, the second time with {@code -Dravine.conv=im2col}
 * (the im2col path; the default is the implicit GEMM where the Vector API GEMM runs).
 *
 * <p>Usage: ConvLayers [batch (128)]
 */
public final class ConvLayers {
    /** {c, h, w, o, whether the input needs a gradient}: cnn's two layers, then rescnn's four shapes. */
    private static final int[][] LAYERS = {
            {1, 28, 28, 32, 0}, {32, 14, 14, 64, 1}, {3, 32, 32, 16, 0}, {16, 32, 32, 16, 1}, {16, 16, 16, 32, 1}, {32, 16, 16, 32, 1},
    };
    private static final int WARMUP = 5;
    private static final int CALLS = 15;
    private static final OperatingSystemMXBean OS = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private ConvLayers() {}

    public static void main(String[] args) {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 128;
        System.out.printf("conv path %s, %d threads, batch %d; ms per call over %d: CPU (mean) / wall (median)%n",
                System.getProperty("ravine.conv", "default"), ComputePool.threads(), batch, CALLS);
        Rng rng = new Rng(7);
        for (int[] layer : LAYERS) {
            Tensor x = Tensor.normal(rng, 0, 1, batch, layer[0], layer[1], layer[2]).requiresGrad(layer[4] == 1);
            Tensor w = Tensor.normal(rng, 0, 0.1f, layer[3], layer[0], 3, 3).requiresGrad(true);
            Tensor b = Tensor.normal(rng, 0, 0.1f, layer[3]).requiresGrad(true);
            Tensor r = Tensor.normal(rng, 0, 1, batch, layer[3], layer[1], layer[2]);
            List<Tensor> wanted = layer[4] == 1 ? List.of(x, w, b) : List.of(w, b);
            double[][] forward = new double[2][CALLS], backward = new double[2][CALLS];
            for (int call = -WARMUP; call < CALLS; call++) {
                long cpu0 = OS.getProcessCpuTime(), wall0 = System.nanoTime();
                Tensor y = Functional.conv2d(x, w, b, 1, 1, 1, 1);
                long cpu1 = OS.getProcessCpuTime(), wall1 = System.nanoTime();
                Autograd.grad(y, new ArrayList<>(wanted), r, false);
                long cpu2 = OS.getProcessCpuTime(), wall2 = System.nanoTime();
                if (call < 0) continue;
                forward[0][call] = (cpu1 - cpu0) / 1e6;
                forward[1][call] = (wall1 - wall0) / 1e6;
                backward[0][call] = (cpu2 - cpu1) / 1e6;
                backward[1][call] = (wall2 - wall1) / 1e6;
            }
            System.out.printf("%2d -> %2d channels, %2dx%2d: forward %6.2f / %6.2f, backward %6.2f / %6.2f%n", layer[0], layer[3],
                    layer[1], layer[2], mean(forward[0]), median(forward[1]), mean(backward[0]), median(backward[1]));
        }
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).sum() / values.length;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
