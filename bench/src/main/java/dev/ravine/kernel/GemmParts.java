package dev.ravine.kernel;

import java.lang.management.ManagementFactory;

/**
 * One thread: a {@link VectorGemm} product's fastest call (thread CPU time), then its parts alone, the same calls
 * as {@link VectorGemm#gemm} makes: packing A, packing B, and the micro-kernel's stretches over what is packed
 * (parked in sums, C untouched); "rest" is the product less the three (storing C, edges, calls).
 * Usage: GemmParts RxV m k n NN|NT|TN [mc kc nc]
 */
public final class GemmParts {
    private GemmParts() {}

    public static void main(String[] args) {
        MicroKernel micro = MicroKernelChoice.byShape(args[0]);
        int m = Integer.parseInt(args[1]), k = Integer.parseInt(args[2]), n = Integer.parseInt(args[3]);
        boolean tA = args[4].charAt(0) == 'T', tB = args[4].charAt(1) == 'T';
        GemmBlocking bl = args.length > 7 ? new GemmBlocking(Integer.parseInt(args[5]), Integer.parseInt(args[6]), Integer.parseInt(args[7])) : VectorGemm.DEFAULT_BLOCKING;
        VectorGemm g = new VectorGemm(micro, bl);
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
        for (int i = 0; i < a.length; i++) a[i] = (float) r.nextDouble(-1, 1);
        for (int i = 0; i < b.length; i++) b[i] = (float) r.nextDouble(-1, 1);
        int lda = tA ? m : k, ldb = tB ? k : n;
        int rows = micro.rows, cols = micro.cols;
        int mc = Math.ceilDiv(bl.mc(), rows) * rows, nc = Math.ceilDiv(bl.nc(), cols) * cols, kc = Math.min(bl.kc(), 512);
        float[] pa = new float[mc * 512], pb = new float[512 * nc], sums = new float[mc * cols], scratch = new float[8 * 512];
        Runnable full = () -> g.gemm(tA, tB, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n);
        Runnable packA = () -> {
            for (int jc = 0; jc < n; jc += nc) for (int pc = 0; pc < k; pc += 512) {
                int depth = Math.min(512, k - pc);
                for (int ic = 0; ic < m; ic += mc) VectorPacking.packA(tA, a, 0, lda, ic, Math.min(mc, m - ic), pc, depth, rows, pa, scratch);
            }
        };
        Runnable packB = () -> {
            for (int jc = 0; jc < n; jc += nc) for (int pc = 0; pc < k; pc += 512)
                VectorPacking.packB(tB, b, 0, ldb, pc, Math.min(512, k - pc), jc, Math.min(nc, n - jc), cols, pb);
        };
        Runnable kernel = () -> {  // the sweep's stretches on whatever is packed, parked in sums (no C stores)
            for (int jc = 0; jc < n; jc += nc) for (int pc = 0; pc < k; pc += 512) {
                int depth = Math.min(512, k - pc), ncb = Math.min(nc, n - jc);
                for (int ic = 0; ic < m; ic += mc) {
                    int blocks = Math.ceilDiv(Math.min(mc, m - ic), rows);
                    for (int j = 0; j < ncb; j += cols) for (int p = 0; p < depth; p += kc) {
                        int st = Math.min(kc, depth - p);
                        for (int s = 0; s < blocks; s++) micro.stretch(pa, s * rows * depth + p * rows, pb, j * depth + p * cols, st, sums, s * rows * cols, p == 0, null, 0, 0, 1f, 0f);
                    }
                }
            }
        };
        String[] names = {"full", "packA", "packB", "kernel"};
        Runnable[] parts = {full, packA, packB, kernel};
        double[] best = new double[4];
        java.util.Arrays.fill(best, Double.MAX_VALUE);
        var bean = ManagementFactory.getThreadMXBean();
        long calls = Math.max(3, (long) (2e8 / (2.0 * m * n * k / 64)));
        for (int round = 0; round < 8; round++) for (int i = 0; i < 4; i++) {
            for (int cidx = 0; cidx < calls; cidx++) {
                long t0 = bean.getCurrentThreadCpuTime();
                parts[i].run();
                long t = bean.getCurrentThreadCpuTime() - t0;
                if (round >= 3) best[i] = Math.min(best[i], t);
            }
        }
        double flops = 2.0 * m * n * k;
        StringBuilder sb = new StringBuilder(String.format("%s %dx%dx%d %s %s:", micro.shape(), m, k, n, args[4], g.configuration()));
        for (int i = 0; i < 4; i++) sb.append(String.format(" %s %.0f us", names[i], best[i] / 1e3));
        sb.append(String.format(" | full %.1f GFLOP/cpu-s, kernel %.1f; rest %.0f us", flops / best[0], flops / best[3], (best[0] - best[1] - best[2] - best[3]) / 1e3));
        System.out.println(sb);
    }
}
