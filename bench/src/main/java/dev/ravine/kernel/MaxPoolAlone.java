package dev.ravine.kernel;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * {@link MaxPool2dKernel#forward} alone on the CNN's two 2 x 2 / stride 2 pools at batch 128 (32 channels of 28 x 28,
 * 64 of 14 x 14), with indices, interleaved in one JVM as in training. Prints the fastest call of each, us of thread
 * CPU time. Run with -Dravine.threads=1 for one thread. Usage: MaxPoolAlone
 */
public final class MaxPoolAlone {
    private record Pool(String name, int channels, int size, float[] x, float[] out, int[] indices) {}

    private MaxPoolAlone() {}

    public static void main(String[] args) {
        int batch = 128;
        Pool[] pools = {pool("pool 32x28x28", batch, 32, 28), pool("pool 64x14x14", batch, 64, 14)};
        var bean = ManagementFactory.getThreadMXBean();
        double[] best = new double[pools.length];
        Arrays.fill(best, Double.MAX_VALUE);
        int calls = 20;
        for (int round = 0; round < 40; round++) {
            for (int i = 0; i < pools.length; i++) {
                long start = bean.getCurrentThreadCpuTime();
                poolCalls(pools[i], batch, calls);
                if (round >= 10) best[i] = Math.min(best[i], (bean.getCurrentThreadCpuTime() - start) / 1e3 / calls);
            }
        }
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < pools.length; i++) line.append(String.format("%s %.1f us; ", pools[i].name, best[i]));
        System.out.println(line.toString().trim());
    }

    private static void poolCalls(Pool p, int batch, int calls) {
        for (int c = 0; c < calls; c++) {
            MaxPool2dKernel.forward(p.x, 0, batch, p.channels, p.size, p.size, 2, 2, 2, 2, 0, 0, p.out, 0, p.indices, 0);
        }
    }

    private static Pool pool(String name, int batch, int channels, int size) {
        SplittableRandom random = new SplittableRandom(3);
        float[] x = new float[batch * channels * size * size];
        // ReLU outputs, as in the CNN: about half zeros, so ties are common.
        for (int i = 0; i < x.length; i++) x[i] = (float) Math.max(0, random.nextDouble(-1, 1));
        int outputs = batch * channels * (size / 2) * (size / 2);
        return new Pool(name, channels, size, x, new float[outputs], new int[outputs]);
    }
}
