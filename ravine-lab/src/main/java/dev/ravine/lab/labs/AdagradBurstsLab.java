package dev.ravine.lab.labs;

import dev.ravine.lab.Figure;
import dev.ravine.lab.Lab;
import dev.ravine.lab.LabResult;
import dev.ravine.lab.LabSettings;
import dev.ravine.lab.Verdict;
import dev.ravine.lab.chart.Chart;
import dev.ravine.lab.chart.ContourChart;
import dev.ravine.lab.surface.ElongatedQuadratic;
import dev.ravine.lab.surface.SurfaceCharts;
import dev.ravine.lab.surface.SurfaceDescent;
import dev.ravine.lab.surface.Trajectory;
import dev.ravine.optim.OptimizerAssembly;
import dev.ravine.optim.Schedule;
import dev.ravine.schedule.InverseSqrt;
import dev.ravine.tensor.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Lab 2: Adagrad in the notes' form (each step divided by the root mean square of all past gradients) bursts
 * sideways on the ravine after a stretch of small gradients; learning-rate decay removes the bursts; warm-up keeps
 * Adam's first steps, taken with a second-moment estimate from a few noisy gradients, from overshooting.
 */
public final class AdagradBurstsLab implements Lab {
    /** The note's fixed step size η. */
    private static final double ETA = 0.3;
    /** A burst: the loss climbs above 10 times its lowest value so far, and above 1/1000 of where it started. */
    private static final double BURST_RISE = 10, BURST_FLOOR = 1e-3;
    /** Warm-up: Adam at peak lr 0.5, gradient noise of standard deviation 1 per coordinate, 50 warm-up steps. */
    private static final double ADAM_LR = 0.5, NOISE = 1.0;
    private static final long WARMUP = 50;
    private static final int EARLY = 100;

    @Override
    public String name() {
        return "adagrad-bursts";
    }

    @Override
    public int number() {
        return 2;
    }

    @Override
    public String title() {
        return "Adagrad's bursts on the ravine, learning-rate decay, and warm-up";
    }

    @Override
    public String note() {
        return "001_e82c585286b62341.txt";
    }

    @Override
    public String claim() {
        return "Adagrad as the note writes it divides each coordinate's step η·g by σ, the root mean square of all the gradients "
                + "that coordinate has seen. On a ravine, once the path has settled into the valley floor the gradients across the "
                + "valley are tiny, so σ keeps shrinking, the effective step η/σ keeps growing, and after a while the path "
                + "suddenly bursts sideways up the valley wall; the large gradients there raise σ again and it settles, until the "
                + "next burst. Learning-rate decay (η_t = η/√(t+1)) removes the bursts. Warm-up, a learning rate that first "
                + "rises and then falls, is explained by σ being a statistic that is imprecise after only a few gradients: small "
                + "early steps keep that imprecise σ from throwing the parameters far.";
    }

    @Override
    public String method() {
        return "The ravine is f = (0.05·x² + 20·y²)/2, from a start drawn per seed (x in [-9, -7], y in [0.3, 0.8]). The note's "
                + "Adagrad is Ravine's adagrad (torch's form: the step divided by the root of the SUM of squared gradients) with the "
                + "learning-rate schedule η·√t, which turns the sum into the mean: η = 0.3. With the note's decay η/√(t+1) the "
                + "schedule is constant, which is torch's Adagrad at lr 0.3. A burst is counted each time the loss climbs "
                + "above 10 times its lowest value so far (and above 1/1000 of its start, so that wiggles at convergence do "
                + "not count). Warm-up: Ravine's adam at lr 0.5 with Gaussian noise (standard deviation 1) added to every "
                + "gradient coordinate, as a mini-batch scatters it, with and without the inverse_sqrt schedule (linear warm-up "
                + "over 50 steps to 0.5, then 0.5·√(50/t)); the early overshoot is the largest loss in the first 100 steps "
                + "divided by the starting loss. Same starts and noise draws for both arms of each seed.";
    }

    @Override
    public String decisionRule() {
        return "Held if (1) the note's Adagrad bursts at least once in at least 80% of the seeds, (2) with the decay it never bursts "
                + "in any seed, and (3) with warm-up Adam's early overshoot is smaller than without it in at least 80% of the "
                + "seeds; otherwise it did not hold (the verdict says which part failed).";
    }

    @Override
    public LabResult run(LabSettings settings) {
        int steps = settings.pick(1000, 3000);
        ElongatedQuadratic ravine = new ElongatedQuadratic(0.05, 20, new double[] {-8, 0.55}, new double[] {-9.5, 1.5, -1, 1});
        int seeds = settings.seeds().size();
        int seedsBursting = 0, seedsDecayedBursting = 0, warmupBetter = 0;
        double burstsSum = 0, decayedSum = 0, peakSum = 0, peakWarmSum = 0, finalSum = 0, finalWarmSum = 0;
        Trajectory shownRms = null, shownDecay = null, shownAdam = null, shownWarm = null;
        for (long seed : settings.seeds()) {
            double[] start = start(seed);
            Trajectory rms = SurfaceDescent.run(ravine, "Adagrad as the note writes it (RMS of past gradients)", noteAdagrad(), start, steps);
            Trajectory decayed = SurfaceDescent.run(ravine, "with decay η/√(t+1) (= torch's Adagrad)", OptimizerAssembly.of("adagrad",
                    Map.of("lr", ETA)), start, steps);
            int b = bursts(rms), d = bursts(decayed);
            burstsSum += b;
            decayedSum += d;
            if (b > 0) seedsBursting++;
            if (d > 0) seedsDecayedBursting++;
            Trajectory adam = SurfaceDescent.run(ravine, "Adam, constant lr", OptimizerAssembly.of("adam", Map.of("lr", ADAM_LR)), start, steps,
                    Double.NEGATIVE_INFINITY, new Rng(seed * 7919 + 1), NOISE);
            Trajectory warm = SurfaceDescent.run(ravine, "Adam with warm-up (inverse_sqrt, 50 steps)", OptimizerAssembly.of("adam",
                    Map.of("lr", ADAM_LR)).withSchedule(lr -> new InverseSqrt(lr, WARMUP)), start, steps, Double.NEGATIVE_INFINITY,
                    new Rng(seed * 7919 + 1), NOISE);
            double peak = earlyPeak(adam), peakWarm = earlyPeak(warm);
            peakSum += peak;
            peakWarmSum += peakWarm;
            finalSum += adam.finalLoss();
            finalWarmSum += warm.finalLoss();
            if (peakWarm < peak) warmupBetter++;
            if (shownRms == null) {
                shownRms = rms;
                shownDecay = decayed;
                shownAdam = adam;
                shownWarm = warm;
            }
        }
        List<Figure> figures = List.of(
                new Figure("bursting_seeds", "seeds in which the note's Adagrad burst", seedsBursting, "of " + seeds),
                new Figure("bursts_mean", "bursts per run, the note's Adagrad (mean over seeds)", burstsSum / seeds, ""),
                new Figure("decayed_bursting_seeds", "seeds in which Adagrad with decay burst", seedsDecayedBursting, "of " + seeds),
                new Figure("decayed_bursts_mean", "bursts per run with decay (mean)", decayedSum / seeds, ""),
                new Figure("warmup_better_seeds", "seeds in which warm-up lowered Adam's early overshoot", warmupBetter, "of " + seeds),
                new Figure("overshoot_constant", "Adam's early overshoot without warm-up (mean of max loss in the first 100 steps / start)",
                        peakSum / seeds, "x"),
                new Figure("overshoot_warmup", "Adam's early overshoot with warm-up (mean)", peakWarmSum / seeds, "x"),
                new Figure("final_constant", "Adam's final loss without warm-up (mean)", finalSum / seeds, ""),
                new Figure("final_warmup", "Adam's final loss with warm-up (mean)", finalWarmSum / seeds, ""));
        boolean burstsHeld = seedsBursting >= Math.ceil(0.8 * seeds);
        boolean decayHeld = seedsDecayedBursting == 0;
        boolean warmHeld = warmupBetter >= Math.ceil(0.8 * seeds);
        String because = String.format(Locale.ROOT, "the note's Adagrad burst in %d of %d seeds (%.1f bursts a run) %s; with decay it burst in %d "
                        + "%s; warm-up lowered Adam's early overshoot in %d of %d seeds (%.2fx against %.2fx the start) %s",
                seedsBursting, seeds, burstsSum / seeds, burstsHeld ? "(rule: >= 80%, held)" : "(rule: >= 80%, did not hold)", seedsDecayedBursting,
                decayHeld ? "(rule: none, held)" : "(rule: none, did not hold)", warmupBetter, seeds, peakWarmSum / seeds, peakSum / seeds,
                warmHeld ? "(rule: >= 80%, held)" : "(rule: >= 80%, did not hold)");
        Verdict verdict = Verdict.of(burstsHeld && decayHeld && warmHeld, because, "bursting_seeds", "decayed_bursting_seeds", "warmup_better_seeds",
                "overshoot_constant", "overshoot_warmup");
        List<Chart> charts = new ArrayList<>();
        List<ContourChart.Mark> marks = List.of(new ContourChart.Mark("minimum", 0, 0), new ContourChart.Mark("start", shownRms.x()[0], shownRms.y()[0]));
        charts.add(SurfaceCharts.contour("bursts-paths", "The note's Adagrad and its decayed form on the ravine (seed " + settings.seeds().getFirst() + ")",
                "Paths of the two Adagrad forms over f = (0.05·x² + 20·y²)/2. The bursts are the sideways jumps up the valley walls.", ravine,
                List.of(shownRms, shownDecay), marks));
        charts.add(SurfaceCharts.losses("bursts-loss", "Loss by step: bursts and their removal by decay", "Each burst is a spike of the loss.",
                List.of(shownRms, shownDecay), 0));
        charts.add(SurfaceCharts.losses("warmup-loss", "Adam with and without warm-up, noisy gradients (seed " + settings.seeds().getFirst() + ")",
                "Exact loss along the path while the optimizer sees gradients with noise of standard deviation 1.", List.of(shownAdam, shownWarm), 0));
        String reading = (burstsSum == 0 ? "No burst was seen in any seed in these steps, against the note. " : "")
                + String.format(Locale.ROOT, "In the RMS form the effective learning rate across the valley is η/σ with σ² the mean of the squared "
                        + "gradients seen so far: once the path is on the valley floor the mean only falls, as 1/t, so the effective rate grows as √t "
                        + "until it passes the stability limit 2/20 of the steep direction and the path is thrown up the wall (%.1f bursts a run). "
                        + "The note's decay η/√(t+1) cancels that √t exactly: the step is then divided by the root of the sum of squared gradients, "
                        + "which never falls, so the effective rate never grows again (torch's Adagrad is this form). ",
                burstsSum / seeds)
                + warmupReading(warmHeld, peakWarmSum / seeds, peakSum / seeds, finalWarmSum / seeds, finalSum / seeds);
        return new LabResult(figures, verdict, charts, reading);
    }

    /** What the warm-up figures mean, as they came out. */
    private static String warmupReading(boolean held, double peakWarm, double peak, double finalWarm, double finalConstant) {
        String figures = String.format(Locale.ROOT, " (largest loss in the first 100 steps: %.2fx the start with warm-up, %.2fx without; final loss "
                + "%.3g with, %.3g without, the warm-up run's smaller late learning rate included).", peakWarm, peak, finalWarm, finalConstant);
        if (held) {
            return "Warm-up: with gradients this noisy, Adam's first steps are about lr per coordinate in directions the noise decides, and "
                    + "warm-up kept them small while the moment estimates were still poor" + figures;
        }
        return "Warm-up did not help here: Adam's first steps at the full learning rate went down the valley without climbing back, so there was "
                + "no early overshoot for warm-up to prevent, and the warm-up run simply started slower" + figures
                + " On this two-parameter surface a few noisy gradients were enough for Adam's moment estimates; the note's explanation "
                + "of warm-up needs a setting where they are not (many parameters, heavier-tailed gradients), which this lab does not show.";
    }

    /** Ravine's adagrad with the schedule η·√t: the sum under the root becomes a mean (the note's σ). */
    private static OptimizerAssembly noteAdagrad() {
        return OptimizerAssembly.of("adagrad", Map.of("lr", ETA)).withSchedule(lr -> new Schedule() {
            @Override
            public double learningRate(long step) {
                return lr * Math.sqrt(step);
            }

            @Override
            public String describe() {
                return lr + "·√t (the note's root-mean-square form)";
            }
        });
    }

    /** Excursions of the loss above BURST_RISE times its running minimum (and above BURST_FLOOR of the start), each counted once. */
    static int bursts(Trajectory t) {
        double[] loss = t.loss();
        double low = loss[0], floor = BURST_FLOOR * loss[0];
        int count = 0;
        boolean inBurst = false;
        for (double v : loss) {
            low = Math.min(low, v);
            boolean now = v > BURST_RISE * low && v > floor;
            if (now && !inBurst) count++;
            inBurst = now;
        }
        return count;
    }

    private static double earlyPeak(Trajectory t) {
        double peak = 0;
        for (int i = 1; i <= Math.min(EARLY, t.points() - 1); i++) peak = Math.max(peak, t.loss()[i]);
        return peak / t.loss()[0];
    }

    private static double[] start(long seed) {
        Rng rng = new Rng(seed);
        return new double[] {-9 + 2 * rng.nextDouble(), 0.3 + 0.5 * rng.nextDouble()};
    }
}
