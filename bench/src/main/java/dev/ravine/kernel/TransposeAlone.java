package dev.ravine.kernel;

import java.lang.management.ManagementFactory;

/**
 * {@link Transpose8x8} alone, one thread: ns of thread CPU time per 8 x 8 block, best of 20 rounds, over rowBlocks
 * x 8 rows of width columns, ld apart. In this package (on the classpath) to reach the package-private kernels.
 * Usage: TransposeAlone ld rowBlocks width [16] (16: the 16-column row-block order, {@code transposeRowsBy16}).
 */
public final class TransposeAlone {
    private TransposeAlone() {}

    public static void main(String[] args) {
        int ld = Integer.parseInt(args[0]), rowBlocks = Integer.parseInt(args[1]), width = Integer.parseInt(args[2]);
        boolean by16 = args.length > 3 && args[3].equals("16");
        float[] src = new float[ld * 8 * rowBlocks], dest = new float[width * 8 * rowBlocks];
        for (int i = 0; i < src.length; i++) src[i] = i;
        var bean = ManagementFactory.getThreadMXBean();
        double best = Double.MAX_VALUE;
        int calls = Math.max(10, 2_000_000 / (width * 8 * rowBlocks));
        for (int round = 0; round < 30; round++) {
            long t0 = bean.getCurrentThreadCpuTime();
            for (int c = 0; c < calls; c++) {
                if (by16) Transpose8x8.transposeRowsBy16(src, 0, ld, rowBlocks, width, dest, 0, 8 * rowBlocks);
                else Transpose8x8.transposeRows(src, 0, ld, rowBlocks, width, dest, 0, 8 * rowBlocks);
            }
            long t = bean.getCurrentThreadCpuTime() - t0;
            if (round >= 10) best = Math.min(best, (double) t / calls / (width / 8 * rowBlocks));
        }
        System.out.printf("transpose ld %d, %d row blocks, width %d%s: %.1f ns per 8x8 block%n", ld, rowBlocks, width,
                by16 ? ", by 16" : "", best);
    }
}
