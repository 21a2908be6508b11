package dev.ravine.doctor.detect;

import static dev.ravine.doctor.detect.Readings.fmt;

import dev.ravine.doctor.curvature.CurvatureReading;
import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.Remedies;
import dev.ravine.doctor.finding.Remedy;
import dev.ravine.doctor.finding.RunFacts;
import dev.ravine.doctor.finding.Severity;
import dev.ravine.doctor.instrument.LayerReading;
import dev.ravine.doctor.instrument.StepReading;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Learning rate too high: the loss diverges or oscillates while the updates are large. Over the window's finite
 * losses (at least {@code minReadings} of them, and, for the rules that read update ratios, at least {@code minReadings}
 * full readings; a jump of {@value #SPIKE}x the start needs losses only):
 * <ul>
 *   <li><b>divergence</b>: the mean of the last {@code edge} losses is more than {@code riseFactor} times the mean of
 *       the first {@code edge};</li>
 *   <li><b>oscillation</b>: the sign of successive loss differences flips in more than {@code flipFraction} of the
 *       pairs, the mean |difference| is above {@code amplitude} times the median loss, and the loss made no progress
 *       (median of the last third at least {@code 1 - minProgress} times the median of the first third);</li>
 * </ul>
 * and, for either, the median over full readings of the largest layer update/weight ratio is above
 * {@code minRatio} (healthy: about 1e-3); a rise must end above {@link RunFacts#negligibleLoss()}, and under an
 * adaptive optimizer a rise in a run that was training well is left to {@link AdaptiveSpikeDetector}
 * ({@code ownsRise}). Defaults: riseFactor 3, edge 3, flipFraction 0.8 (independent mini-batch
 * noise flips about 2/3 of the time), amplitude 0.5, minProgress 0.1, minRatio 1e-2, minReadings 6.
 *
 * <p>With curvature readings ({@code doctor.curvature_every}) the stability test joins in: the newest reading's
 * sharpness / threshold (sharpness x lr / 2 for gradient descent; the preconditioned form for Adam) is added to the
 * evidence of either finding, and on its own it opens the finding (WARNING, "unstable curvature") when it exceeds
 * {@code curvatureFactor} while the loss makes no progress over the window. Gradient descent trains at the edge of
 * stability with the ratio hovering at or just above 1 (Cohen et al. 2021); a ratio well above it that comes with a
 * stalled loss is the overshoot itself. Default curvatureFactor 2.
 */
public record LrTooHighDetector(double riseFactor, int edge, double flipFraction, double amplitude, double minProgress, double minRatio,
                                int minReadings, double curvatureFactor) implements Detector {
    /** A loss this many times its starting value is a divergence whatever the update ratios say. */
    static final double SPIKE = 100;

    public static LrTooHighDetector defaults() {
        return new LrTooHighDetector(3, 3, 0.8, 0.5, 0.1, 1e-2, 6, 2);
    }

    @Override
    public String id() {
        return "lr_too_high";
    }

    @Override
    public Optional<Finding> examine(List<StepReading> window, List<CurvatureReading> curvature, RunFacts facts) {
        // A rise in a run that was training well under Adam and its relatives is the more specific adaptive_spike.
        if (AdaptiveSpikeDetector.ownsRise(window, facts)) {
            return Optional.empty();
        }
        Optional<CurvatureReading> latest = SharpnessEvidence.latest(curvature);
        Optional<Finding> byLoss = examine(window, facts);
        if (byLoss.isPresent() || latest.isEmpty()) {
            return byLoss.map(f -> latest.map(c -> SharpnessEvidence.withEvidence(f, SharpnessEvidence.describe(c, facts))).orElse(f));
        }
        CurvatureReading c = latest.get();
        if (!(c.worstRatio() > curvatureFactor)) return Optional.empty();
        double[] loss = window.stream().mapToDouble(StepReading::loss).filter(Double::isFinite).toArray();
        if (loss.length < minReadings) return Optional.empty();
        int third = Math.max(1, loss.length / 3);
        double first = Readings.median(Arrays.copyOfRange(loss, 0, third)), last = Readings.median(Arrays.copyOfRange(loss, loss.length - third, loss.length));
        if (last < (1 - minProgress) * first) return Optional.empty();
        List<String> evidence = new ArrayList<>(SharpnessEvidence.describe(c, facts));
        evidence.add("no progress over steps " + window.getFirst().step() + "-" + window.getLast().step() + ": median loss " + fmt(first) + " -> "
                + fmt(last));
        return Optional.of(new Finding(id(), "Learning rate too high (unstable curvature)", Severity.WARNING, window.getFirst().step(),
                window.getLast().step(), List.of(), evidence,
                "The sharpest direction of the loss is curved more than this learning rate can follow: a step along it lands beyond the"
                        + " valley's far wall, so the iterate bounces instead of descending (edge of stability, Cohen et al.).",
                remedies(facts.learningRate(), loss.length)));
    }

    /**
     * Divergence from a sane start, judged against the run's own first loss rather than the window's (which, late in a
     * converged run, is a tiny baseline any noise multiplies): from the first steps on, without waiting for full
     * readings, because a fast divergence overflows within a few steps. The loss turned non-finite after finite
     * losses, or the median of the window's last third of losses (at least {@value #RECENT}, and a reading of at least
     * 3 x RECENT of them: a bouncing loss can spend a few steps high) is {@value #STAYS_ABOVE}x the first loss or
     * more (a loss that stays 2-25x above its start is as much a divergence as one that overflows) while the updates
     * are large (median largest update/weight ratio above {@code minRatio}, when full readings exist).
     */
    private Optional<Finding> divergingFromStart(List<StepReading> window, RunFacts facts) {
        if (!facts.startedSane() || window.size() < 2) return Optional.empty();
        double first = facts.startLoss();
        StepReading last = window.getLast();
        List<StepReading> finite = window.stream().filter(r -> Double.isFinite(r.loss())).toList();
        if (finite.isEmpty()) return Optional.empty();
        List<String> evidence = new ArrayList<>();
        if (!Double.isFinite(last.loss())) {
            evidence.add("loss " + fmt(last.loss()) + " at step " + last.step() + " after starting at " + fmt(first));
        } else {
            int span = Math.max(RECENT, finite.size() / 3);
            // A loss that multiplied itself RUNAWAY-fold in one step has no healthy reading (no batch noise does that), so
            // the first full reading (step 10) may judge it: waiting for 15 losses let a fast divergence kill the ReLUs
            // first and be named by that symptom.
            int needed = largestGrowth(finite) >= RUNAWAY ? 2 * RECENT : 3 * RECENT;
            if (finite.size() < needed) return Optional.empty();
            double[] recent = finite.subList(finite.size() - span, finite.size()).stream().mapToDouble(StepReading::loss).toArray();
            double median = Readings.median(recent);
            if (!(median >= STAYS_ABOVE * first) || !(median > facts.negligibleLoss())) return Optional.empty();
            // Small steps cannot be what drove the loss up: with full readings, the updates must be large ones.
            List<StepReading> full = Readings.full(window);
            if (!full.isEmpty() && !(Readings.median(full.stream().mapToDouble(LrTooHighDetector::largestRatio).toArray()) > minRatio)) {
                return Optional.empty();
            }
            evidence.add("median of the last " + span + " losses " + fmt(median) + " at step " + last.step() + ", " + fmt(median / first)
                    + "x the loss the run started from, " + fmt(first));
        }
        growth(finite).ifPresent(evidence::add);
        List<Remedy> remedies = new ArrayList<>(remedies(facts.learningRate(), finite.size()));
        if (largestGrowth(finite) >= FAST_GROWTH) {
            remedies.addFirst(Remedies.learningRate(facts.learningRate(), facts.learningRate() / 10, "a loss that grows " + fmt(FAST_GROWTH)
                    + "x or more per step overshoots by a factor a third of the step does not bring back to half the stability limit"));
        }
        return Optional.of(new Finding(id(), "Learning rate too high (loss diverging)", Severity.BLOCKING, finite.getFirst().step(), last.step(), List.of(),
                evidence, "The run started from a sane loss and the steps themselves drove it up: each one overshoots the valley by more than"
                        + " the last (a step longer than 2 / curvature along the sharpest direction), so the loss grows instead of falling.",
                remedies));
    }

    /**
     * Steps that cut the network: a parameter layer that received gradient at the window's first full reading receives
     * none at all in each of the last {@value #CUT_READINGS} (every unit feeding it dead, so nothing flows back through it),
     * while the updates before that were large (median largest update/weight ratio above {@code minRatio}) and the loss
     * made no progress from the run's start (median of the last third at least {@code 1 - minProgress} times it). A
     * layer alive at the start that the steps silenced, with nothing learned, was killed by the step's length: dead
     * ReLUs and vanishing gradients are what it left, lr_too_high what caused it. A run whose loss still falls with part
     * of its units dead is dead_relu's, and one dead from its first reading is the initialization's.
     */
    private Optional<Finding> stepsCutTheNetwork(List<StepReading> window, RunFacts facts) {
        if (!facts.startedSane()) return Optional.empty();
        List<StepReading> full = Readings.full(window);
        if (full.size() < CUT_READINGS + 1) return Optional.empty();
        List<StepReading> recent = full.subList(full.size() - CUT_READINGS, full.size());
        StepReading first = full.getFirst();
        String silenced = null;
        for (LayerReading l : first.layers()) {
            if (!(l.gradNorm() > 0)) continue;
            boolean deadSince = recent.stream().allMatch(r -> Readings.layer(r, l.layer()).map(x -> x.gradNorm() == 0).orElse(false));
            if (deadSince) {
                silenced = l.layer();
                break;
            }
        }
        if (silenced == null) return Optional.empty();
        double[] before = full.subList(0, full.size() - CUT_READINGS).stream().mapToDouble(LrTooHighDetector::largestRatio).toArray();
        double ratio = Readings.median(before);
        if (!(ratio > minRatio)) return Optional.empty();
        double[] loss = window.stream().mapToDouble(StepReading::loss).filter(Double::isFinite).toArray();
        if (loss.length < minReadings) return Optional.empty();
        double last = Readings.median(Arrays.copyOfRange(loss, loss.length - Math.max(1, loss.length / 3), loss.length));
        double start = facts.startLoss();
        if (last < (1 - minProgress) * start) return Optional.empty();
        String layer = silenced;
        List<String> evidence = List.of(
                "layer " + layer + " received gradient at step " + first.step() + " and none at all (norm 0) in the last " + CUT_READINGS
                        + " readings, steps " + recent.getFirst().step() + "-" + recent.getLast().step() + ": nothing flows back through it",
                "before that, the largest update/weight ratio per reading had median " + fmt(ratio) + " (healthy: about 1e-3)",
                "the loss made no progress: median " + fmt(last) + " over the last third of steps to " + window.getLast().step()
                        + ", against the start " + fmt(start));
        return Optional.of(new Finding(id(), "Learning rate too high (steps cut the network)", Severity.WARNING, window.getFirst().step(),
                window.getLast().step(), List.of(layer), evidence,
                "The first steps were so long that they threw the pre-activations of whole layers to where no input reaches them:"
                        + " those units output a constant and pass no gradient back, so the network stopped learning before it began.",
                remedies(facts.learningRate(), loss.length)));
    }

    /** Full readings in a row a layer must pass no gradient for the steps to count as having cut the network. */
    static final int CUT_READINGS = 2;

    /**
     * The per-step loss growth from which the learning rate /10 comes first. Along the sharpest direction a step of lr
     * multiplies the deviation by |1 - lr * curvature|, and the loss by its square: a loss growing g x per step means
     * lr * curvature = 1 + sqrt(g). A third of that step is at most half the stability limit (lr * curvature / 3 <= 1)
     * only while sqrt(g) <= 2, i.e. g < 4; beyond, a tenth is needed.
     */
    static final double FAST_GROWTH = 4;

    private static double largestGrowth(List<StepReading> finite) {
        double factor = 1;
        for (int i = 1; i < finite.size(); i++) {
            double a = finite.get(i - 1).loss(), b = finite.get(i).loss();
            if (a > 0) factor = Math.max(factor, b / a);
        }
        return factor;
    }

    /** The largest per-step growth of the finite losses, and where the climb began (the last minimum before it). */
    private static Optional<String> growth(List<StepReading> finite) {
        int best = -1;
        double factor = 1;
        for (int i = 1; i < finite.size(); i++) {
            double a = finite.get(i - 1).loss(), b = finite.get(i).loss();
            if (a > 0 && b / a > factor) {
                factor = b / a;
                best = i;
            }
        }
        if (best < 0 || factor < 2) return Optional.empty();
        int start = best - 1;
        while (start > 0 && finite.get(start - 1).loss() <= finite.get(start).loss()) start--;
        return Optional.of("the loss grew up to " + fmt(factor) + "x in one step (step " + finite.get(best).step() + "); the climb began at step "
                + finite.get(start).step() + " (loss " + fmt(finite.get(start).loss()) + ")");
    }

    /**
     * The loss the window's batches routinely reach before {@code peak}: the upper decile of its losses there (NaN
     * with fewer than {@value #ROUTINE_READINGS}). A jump is measured against it as well as against the start, so that
     * the batch-to-batch spread of the run itself is no divergence: in batches of one sample a converged run's losses
     * span four orders of magnitude (0.0003 to 2 on blobs, SGD), and one misclassified sample is 440x the window's first
     * losses while no higher than the samples before it reached.
     */
    static double routineLevel(double[] loss, int peak) {
        if (peak < ROUTINE_READINGS) return Double.NaN;
        double[] before = Arrays.copyOf(loss, peak);
        Arrays.sort(before);
        return before[(int) Math.floor(0.9 * (before.length - 1))];
    }

    /**
     * Losses before a jump needed to read the window's routine level from them: enough to see the tail of per-sample
     * losses (in batches of one a misclassified sample comes about once in 10-20 steps, so ten easy ones in a row say
     * nothing of it: a window slid to ten steps before a 3.08 read 0.0107 as the routine level).
     */
    static final int ROUTINE_READINGS = 50;

    static final int RECENT = 5;
    static final double STAYS_ABOVE = 2;
    /** A per-step growth of the loss no healthy run shows (the rate of {@link RunawayGrowthDetector}). */
    static final double RUNAWAY = 10;

    @Override
    public Optional<Finding> examine(List<StepReading> window, RunFacts facts) {
        Optional<Finding> fromStart = divergingFromStart(window, facts);
        if (fromStart.isPresent()) return fromStart;
        Optional<Finding> cut = stepsCutTheNetwork(window, facts);
        if (cut.isPresent()) return cut;
        // From an insane start (a first loss far above chance) the initialization, not the step, is the first thing wrong:
        // what follows (a jump, a bouncing loss) is left to exploding_gradients' initialization rule.
        if (Double.isFinite(facts.firstLoss()) && !facts.startedSane()) return Optional.empty();
        List<StepReading> finite = window.stream().filter(r -> Double.isFinite(r.loss())).toList();
        List<StepReading> full = Readings.full(window);
        // The jump below needs losses only; the rules after it read update ratios, which need full readings (a 38-step run
        // read every 10 steps has 4 of them, and its 128x jump at step 2 went unnamed while they were required for it too).
        if (finite.size() < Math.max(minReadings, 2 * edge)) return Optional.empty();
        double ratio = full.isEmpty() ? Double.NaN : Readings.median(full.stream().mapToDouble(LrTooHighDetector::largestRatio).toArray());
        double[] loss = finite.stream().mapToDouble(StepReading::loss).toArray();
        int n = loss.length;
        double head = mean(loss, 0, edge), tail = mean(loss, n - edge, n);
        // A jump of two orders of magnitude over the run's starting loss needs no further evidence: the step threw the
        // weights far out of the region they started in. Checked before the update-ratio gate, because such a jump
        // often kills every ReLU, after which the updates (and their ratio) are zero.
        int peak = 0;
        for (int i = 1; i < n; i++) if (loss[i] > loss[peak]) peak = i;
        // A jump needs losses before it: the window's first reading as its peak is where a slid window begins, not a jump
        // (a batch-of-one run's window began on a misclassified sample, 440x the easy samples after it).
        double start = peak == 0 ? Double.NaN : Arrays.stream(loss, 0, Math.min(edge, peak)).min().orElse(loss[0]);
        // One sample a batch, classified right, has a loss of exactly 0 (or a negligible one), which no jump can be
        // measured against: then the run's own start is the bar (a batch of 1 at lr 0.8: losses of 0 on the samples it
        // got right, 805 at step 50 and 1e5-1e18 later on those it got wrong; named dead_relu before, lr_too_high now).
        if (peak > 0 && !(start > facts.negligibleLoss()) && Double.isFinite(facts.startLoss())) start = facts.startLoss();
        double routine = routineLevel(loss, peak);
        if (routine > start) start = routine;
        // Too few losses before the peak to read the window's spread from (a window restarted by a rollback, ten steps
        // old): the run's own start is the bar, not the window's first few batches (a batch of one: 0.005 on three easy
        // samples, then 0.55 on a hard one).
        if (peak > 0 && Double.isNaN(routine) && Double.isFinite(facts.startLoss()) && facts.startLoss() > start) start = facts.startLoss();
        List<String> evidence = new ArrayList<>();
        String kind;
        if (start > 0 && loss[peak] > SPIKE * start && loss[peak] > facts.negligibleLoss()) {
            kind = "diverging";
            evidence.add("loss jumped to " + fmt(loss[peak]) + " at step " + finite.get(peak).step() + ", " + fmt(loss[peak] / start)
                    + "x its starting value or the level its batches routinely reached before, " + fmt(start));
        } else if (full.size() < minReadings || !(ratio > minRatio)) {
            return Optional.empty();
        } else if (tail > riseFactor * head && tail > facts.negligibleLoss()) {
            kind = "diverging";
            evidence.add("loss rose " + fmt(tail / head) + "x over steps " + finite.getFirst().step() + "-" + finite.getLast().step()
                    + " (mean of the first " + edge + " readings " + fmt(head) + ", of the last " + edge + " " + fmt(tail) + ")");
        } else {
            int flips = 0, pairs = 0;
            double sumAbs = 0;
            for (int i = 1; i < n; i++) {
                double d = loss[i] - loss[i - 1];
                sumAbs += Math.abs(d);
                if (i >= 2) {
                    double prev = loss[i - 1] - loss[i - 2];
                    if (d != 0 && prev != 0) {
                        pairs++;
                        if (Math.signum(d) != Math.signum(prev)) flips++;
                    }
                }
            }
            double flipShare = pairs == 0 ? 0 : (double) flips / pairs;
            double median = Readings.median(loss);
            double meanAbs = sumAbs / (n - 1);
            int third = Math.max(1, n / 3);
            double first = Readings.median(Arrays.copyOfRange(loss, 0, third)), last = Readings.median(Arrays.copyOfRange(loss, n - third, n));
            boolean noProgress = last >= (1 - minProgress) * first;
            if (!(flipShare > flipFraction && meanAbs > amplitude * Math.abs(median) && noProgress)) return Optional.empty();
            kind = "oscillating";
            evidence.add("loss oscillates: successive changes flip sign in " + fmt(100 * flipShare) + "% of " + pairs + " pairs, mean |change| "
                    + fmt(meanAbs) + " = " + fmt(meanAbs / Math.abs(median)) + "x the median loss " + fmt(median) + ", no progress ("
                    + fmt(first) + " -> " + fmt(last) + ")");
        }
        if (Double.isFinite(ratio)) {
            evidence.add("largest update/weight ratio per reading: median " + fmt(ratio) + " (healthy: about 1e-3; above " + fmt(minRatio) + " is too large)");
        }
        List<Remedy> remedies = remedies(facts.learningRate(), finite.size());
        return Optional.of(new Finding(id(), "Learning rate too high (loss " + kind + ")", kind.equals("diverging") ? Severity.BLOCKING : Severity.WARNING,
                finite.getFirst().step(), finite.getLast().step(), List.of(), evidence,
                "Each step overshoots the valley: with a step longer than 2 / curvature along the sharpest direction gradient descent"
                        + " bounces from wall to wall and the loss " + (kind.equals("diverging") ? "grows" : "jumps up and down instead of falling") + ".",
                remedies));
    }

    private static List<Remedy> remedies(double lr, int readings) {
        return List.of(
                Remedies.learningRate(lr, lr / 3, "a step inside the region where the loss is well approximated stops the overshoot"),
                Remedies.warmup(Math.max(100, readings * 5L), "a learning rate that rises from near 0 lets the curvature settle first (note 001: warm-up)"),
                Remedies.clipGlobalNorm(1.0, "clipping bounds each step whatever the gradient does"));
    }

    static double largestRatio(StepReading r) {
        return r.layers().stream().mapToDouble(LayerReading::updateRatio).filter(Double::isFinite).max().orElse(Double.NaN);
    }

    private static double mean(double[] v, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) s += v[i];
        return s / (to - from);
    }
}
