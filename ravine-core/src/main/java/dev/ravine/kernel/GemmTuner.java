package dev.ravine.kernel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Picks the fastest {@link GemmChoice} for this machine by trial, one dimension at a time: the micro-kernel shape
 * at the default blocking, then kc, mc and nc for that shape, each stage keeping its winner. Every candidate is
 * run in turn, round after round, and judged by its fastest run, so the slow first runs of a kernel the JIT has not
 * compiled yet never win; a stage ends when no candidate has got faster in its last {@link #STEADY} runs, or after
 * {@link #MAX_ROUNDS} rounds. A challenger replaces the incumbent only when it is {@link #MARGIN} faster. The search stops early, keeping what it has, when the trial's budget is spent.
 */
final class GemmTuner {
    /** Runs of a candidate without a new best after which its best counts as its speed. */
    static final int STEADY = 4;
    static final int MAX_ROUNDS = 40;
    /**
     * How much faster than the incumbent a challenger's best run must be to replace it. On a loaded machine the best
     * of a few runs still scatters by a few percent (a 12 x 2 pick cached under load 17 was slower than 8 x 2 in
     * whole-GEMM runs), and a choice is cached for good: without a clear gain, the register-file rule's pick stays.
     */
    static final double MARGIN = 0.03;
    static final int[] KC = {128, 256, 512};
    static final int[] MC = {64, 128, 256};
    static final int[] NC = {256, 512};

    /**
     * Times one trial product on a kernel; {@link #warm} first gets a kernel's code compiled, and {@link #spent()}
     * says whether the trial's budget is used up.
     */
    interface Trial {
        double seconds(VectorGemm kernel);

        void warm(VectorGemm kernel);

        boolean spent();
    }

    /** The outcome: the choice, and whether every stage ran to its end (false: the budget ran out first). */
    record Outcome(GemmChoice choice, boolean complete) {}

    private GemmTuner() {}

    /**
     * The shapes a trial may pick on a machine: those whose accumulators, B vectors and a broadcast fit the
     * register file (8 x 2 and 12 x 2 on 32 registers; 4 x 2 and 6 x 2 on 16), and need more than half the file.
     * The register-file rule's own pick comes first. 6 x 2 is a candidate on 16 registers even where C2 schedules
     * for register pressure, which is where the rule does not pick it: whether C2 then spills it differs by machine.
     * On Zen 5 under {@code -XX:UseAVX=2} it spilled (58-60 GFLOP per CPU-second alone, against 114-118 for 4 x 2;
     * {@link MicroKernelChoice}); on a real Zen 3 (JDK 25.0.3, one thread, kc 256) it did not: 91-96 alone against
     * 86-96 for 4 x 2. The trial measures it, and a shape that spills runs at half speed and never wins.
     */
    static List<MicroKernel> candidateShapes(int registers, boolean pressureScheduling) {
        MicroKernel rule = MicroKernelChoice.forRegisters(registers, pressureScheduling);
        List<MicroKernel> shapes = new ArrayList<>(List.of(rule));
        for (MicroKernel shape : MicroKernelChoice.all()) {
            int used = shape.rows * shape.vectors + shape.vectors + 1;
            // Shapes for half the registers leave half the file idle: fewer FMA chains, never faster.
            boolean fitsWell = used <= registers && used > registers / 2;
            if (fitsWell && !shape.shape().equals(rule.shape())) shapes.add(shape);
        }
        return shapes;
    }

    /** The search from the shapes' first at {@code start}; see the class comment. */
    static Outcome search(List<MicroKernel> shapes, GemmBlocking start, Trial trial) {
        List<VectorGemm> byShape = new ArrayList<>();
        for (MicroKernel shape : shapes) byShape.add(new VectorGemm(shape, start));
        VectorGemm best = fastest(byShape, trial);
        best = fastest(variants(best, KC, (b, kc) -> new GemmBlocking(b.mc(), kc, b.nc())), trial);
        best = fastest(variants(best, MC, (b, mc) -> new GemmBlocking(mc, b.kc(), b.nc())), trial);
        best = fastest(variants(best, NC, (b, nc) -> new GemmBlocking(b.mc(), b.kc(), nc)), trial);
        return new Outcome(new GemmChoice(best.micro().shape(), best.blocking()), !trial.spent());
    }

    /**
     * The incumbent first (so that it stays when the budget leaves no time to measure), then its blocking with one
     * size changed to each of the values that differ.
     */
    private static List<VectorGemm> variants(VectorGemm incumbent, int[] values,
                                             BiFunction<GemmBlocking, Integer, GemmBlocking> with) {
        List<VectorGemm> variants = new ArrayList<>(List.of(incumbent));
        for (int value : values) {
            GemmBlocking blocking = with.apply(incumbent.blocking(), value);
            if (!blocking.equals(incumbent.blocking())) variants.add(new VectorGemm(incumbent.micro(), blocking));
        }
        return variants;
    }

    /** The candidate with the fastest run, rounds interleaved until steady (see the class comment). */
    private static VectorGemm fastest(List<VectorGemm> candidates, Trial trial) {
        int count = candidates.size();
        for (VectorGemm candidate : candidates) trial.warm(candidate);
        double[] best = new double[count];
        int[] sinceBest = new int[count];
        Arrays.fill(best, Double.POSITIVE_INFINITY);
        for (int round = 0; round < MAX_ROUNDS && !trial.spent(); round++) {
            boolean steady = true;
            for (int i = 0; i < count; i++) {
                double seconds = trial.seconds(candidates.get(i));
                if (seconds < best[i]) {
                    best[i] = seconds;
                    sinceBest[i] = 0;
                } else {
                    sinceBest[i]++;
                }
                steady &= sinceBest[i] >= STEADY;
            }
            if (steady) break;
        }
        // Ties, unmeasured candidates and challengers within the margin go to the first, the incumbent.
        int winner = 0;
        for (int i = 1; i < count; i++) {
            double bar = winner == 0 ? best[0] * (1 - MARGIN) : best[winner];
            if (best[i] < bar) winner = i;
        }
        return candidates.get(winner);
    }
}
