package dev.ravine.kernel;

import java.lang.management.ManagementFactory;

/**
 * A {@link MicroKernel} alone on packed data (one B sliver of kc steps in L1, slivers A slivers after each other, as
 * in a sweep), one thread: GFLOP per second of thread CPU time, best of 30 rounds. Usage: KernelAlone RxV kc [slivers]
 */
public final class KernelAlone {
    private KernelAlone() {}

    public static void main(String[] args) {
        MicroKernel micro = MicroKernelChoice.byShape(args[0]);
        int kc = Integer.parseInt(args[1]);
        int slivers = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        float[] ap = new float[micro.rows * kc * slivers], bp = new float[micro.cols * kc], sums = new float[micro.rows * micro.cols * slivers];
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        for (int i = 0; i < ap.length; i++) ap[i] = (float) r.nextDouble(-1, 1);
        for (int i = 0; i < bp.length; i++) bp[i] = (float) r.nextDouble(-1, 1);
        var bean = ManagementFactory.getThreadMXBean();
        double best = 0;
        int calls = 20000 / slivers;
        for (int round = 0; round < 40; round++) {
            long t0 = bean.getCurrentThreadCpuTime();
            for (int c = 0; c < calls; c++) {
                for (int s = 0; s < slivers; s++)
                    micro.stretch(ap, s * micro.rows * kc, bp, 0, kc, sums, s * micro.rows * micro.cols, c == 0, null, 0, 0, 1f, 0f);
            }
            long t = bean.getCurrentThreadCpuTime() - t0;
            double gf = 2.0 * micro.rows * micro.cols * kc * calls * slivers / t;
            if (round >= 10) best = Math.max(best, gf);
        }
        System.out.printf("%s kc %d slivers %d: %.1f GFLOP per CPU-second (best of 30 rounds)%n", micro.shape(), kc, slivers, best);
    }
}
