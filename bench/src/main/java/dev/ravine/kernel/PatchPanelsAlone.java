package dev.ravine.kernel;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * {@link PatchPanels#pack} (forward) and {@link PatchPanels#packGathered} (weight gradient) alone, one thread, on the
 * CNN's two 3 x 3 convolutions (1 channel on 28 x 28 and 32 channels on 14 x 14, padding 1): the forward pass's B panels (rows taps, columns output positions) and the weight
 * gradient's (rows positions, columns taps), the four interleaved in one JVM as in training, so the JIT compiles
 * pack for all of them at once. Prints the fastest call of each, us of thread CPU time. Usage: PatchPanelsAlone
 */
public final class PatchPanelsAlone {
    private record Panel(String name, boolean weightGradient, float[] image, int[] outer, int[] inner, int kc,
                         float[] dest) {}

    private PatchPanelsAlone() {}

    public static void main(String[] args) {
        Panel[] panels = {panel("forward 1x28", 1, 28, false), panel("forward 32x14", 32, 14, false),
                panel("weight-grad 1x28", 1, 28, true), panel("weight-grad 32x14", 32, 14, true)};
        var bean = ManagementFactory.getThreadMXBean();
        double[] best = new double[panels.length];
        Arrays.fill(best, Double.MAX_VALUE);
        int width = 2 * MicroKernel.LANES, calls = 500;
        for (int round = 0; round < 40; round++) {
            for (int i = 0; i < panels.length; i++) {
                Panel p = panels[i];
                long start = bean.getCurrentThreadCpuTime();
                packCalls(p, width, calls);
                if (round >= 10) best[i] = Math.min(best[i], (bean.getCurrentThreadCpuTime() - start) / 1e3 / calls);
            }
        }
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < panels.length; i++) line.append(String.format("%s %.2f us; ", panels[i].name, best[i]));
        System.out.println(line.toString().trim());
    }

    /** Packs p's whole panel calls times, the way ImplicitConv packs that kind. */
    private static void packCalls(Panel p, int width, int calls) {
        for (int c = 0; c < calls; c++) {
            if (p.weightGradient) {
                PatchPanels.packGathered(p.image, 0, p.outer, 0, p.kc, p.inner, 0, p.inner.length, width, p.dest);
            } else {
                PatchPanels.pack(p.image, 0, p.outer, 0, p.kc, p.inner, 0, p.inner.length, width, p.dest);
            }
        }
    }

    private static Panel panel(String name, int channels, int size, boolean weightGradient) {
        int padded = size + 2;
        int[] taps = PatchPanels.tapOffsets(channels, 3, 3, padded, padded);
        int[] positions = PatchPanels.positionOffsets(size, size, 1, 1, padded);
        int[] outer = weightGradient ? positions : taps, inner = weightGradient ? taps : positions;
        float[] image = new float[channels * padded * padded];
        for (int i = 0; i < image.length; i++) image[i] = i * 0.001f;
        int width = 2 * MicroKernel.LANES, kc = Math.min(256, outer.length);
        return new Panel(name, weightGradient, image, outer, inner, kc, new float[Math.ceilDiv(inner.length, width) * width * kc]);
    }
}
