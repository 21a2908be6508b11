package dev.ravine.doctor.detect;

import static dev.ravine.doctor.detect.Readings.fmt;

import dev.ravine.doctor.curvature.CurvatureReading;
import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.Remedies;
import dev.ravine.doctor.finding.Remedy;
import dev.ravine.doctor.finding.OptimizerKind;
import dev.ravine.doctor.finding.RunFacts;
import dev.ravine.doctor.finding.Severity;
import dev.ravine.doctor.instrument.AdaptiveStepReading;
import dev.ravine.doctor.instrument.StepReading;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A loss spike in an adaptive-optimizer run that had been stable (note 000: Adam trained well for 30k steps, then
 * blew up). Fires when the run's optimizer is adaptive ({@link RunFacts#adaptive}: its steps are scaled per coordinate,
 * Adam, AdamW, AMSGrad, NAdam, RAdam, AdaMax, RMSprop, Adagrad, Adadelta), the window holds at least
 * {@code minStable} earlier readings plus the last {@code recent}, and the median loss of the last {@code recent}
 * readings is more than {@code factor} times the median loss of the earlier part and above its highest loss (the range
 * the stable batches spanned: a spike is no batch noise). Evidence adds the jump of the
 * largest layer update/weight ratio (latest full reading versus the earlier median) when full readings exist.
 * The spike must also exceed {@link RunFacts#negligibleLoss()} (a jump from 1e-12 to 1e-10 at convergence is no spike),
 * or be {@value #ORDERS}x its stable median or more while above {@value #ROUNDOFF} of the first loss: a loss that had
 * converged to round-off and comes back by four orders of magnitude and more to where float32 resolves it relative to
 * where it started (a few ulps of the first loss) is a spike whatever its absolute size, as note 000's was.
 * Non-finite losses are left to exploding_gradients. With curvature readings, the newest one's preconditioned
 * sharpness against Adam's threshold joins the evidence (Cohen et al. 2022: the spike comes when it crosses it).
 */
public record AdaptiveSpikeDetector(double factor, int recent, int minStable) implements Detector {
    /** A rise of this many times the stable loss is no round-off noise at convergence (which moves it by 10-100x). */
    static final double ORDERS = 1e4;
    /** A loss this far below the first loss is round-off relative to it (a few float32 ulps: eps is 1.2e-7). */
    static final double ROUNDOFF = 1e-6;

    public static AdaptiveSpikeDetector defaults() {
        return new AdaptiveSpikeDetector(3, 3, 8);
    }

    @Override
    public String id() {
        return "adaptive_spike";
    }

    /**
     * Whether a rise of the loss in this window belongs to this detector rather than to the generic lr_too_high or
     * exploding_gradients rules: an adaptive optimizer whose loss had already fallen below a tenth of the run's first
     * loss within the window, i.e. a run that was training well (note 000's pattern), not one that never trained,
     * nor one that blew up above its first loss and fell that low only afterwards.
     */
    static boolean ownsRise(List<StepReading> window, RunFacts facts) {
        if (!facts.adaptive() || !Double.isFinite(facts.firstLoss())) return false;
        double[] loss = window.stream().mapToDouble(StepReading::loss).filter(Double::isFinite).toArray();
        if (loss.length == 0) return false;
        int peak = 0, low = 0;
        for (int i = 1; i < loss.length; i++) {
            if (loss[i] > loss[peak]) peak = i;
            if (loss[i] < loss[low]) low = i;
        }
        // A loss that blew up above its start and only then fell low was not training well before its rise: that low
        // came after it (RMSprop on a GRU: 1.33 -> 4147 at step 4, then 0.13 by step 10).
        if (peak < low && loss[peak] > facts.firstLoss()) return false;
        return loss[low] < 0.1 * facts.firstLoss();
    }

    /** Whether the named optimizer (registry name, any case) is adaptive: its default chain has a diagonal preconditioner. */
    public static boolean isAdaptive(String optimizer) {
        return OptimizerKind.adaptive(optimizer);
    }

    /** A hundred times the optimizer's default eps (Adam's 1e-8 -> 1e-6), written as the remedy says it. */
    private static String epsChange(String optimizer) {
        double eps = (Double) dev.ravine.optim.Optimizers.schema(optimizer.toLowerCase(Locale.ROOT)).option("eps").fallback();
        return eps == 1e-8 ? "1e-8 -> 1e-6" : fmt(eps) + " -> " + fmt(eps * 100);
    }

    /**
     * How the effective steps lr/(sqrt(v_hat)+eps) grew over the window (note 000's mechanism: v decays on quiet
     * directions, so their steps grow): the 99th percentile at the first reading that has them against its largest
     * value, with the median v_hat at both; empty when there are no such readings or the steps did not grow.
     */
    static Optional<String> adaptiveStepEvidence(List<StepReading> window) {
        StepReading first = null, peak = null;
        for (StepReading r : window) {
            if (r.adaptive() == null) continue;
            if (first == null) first = r;
            if (peak == null || r.adaptive().stepP99() > peak.adaptive().stepP99()) peak = r;
        }
        if (first == null || !(peak.adaptive().stepP99() > first.adaptive().stepP99())) return Optional.empty();
        AdaptiveStepReading a = first.adaptive(), b = peak.adaptive();
        return Optional.of("the effective step lr/(sqrt(v)+eps), 99th percentile over coordinates: " + fmt(a.stepP99()) + " at step " + first.step()
                + " -> " + fmt(b.stepP99()) + " at step " + peak.step() + " (" + fmt(b.stepP99() / a.stepP99()) + "x), while the median v fell "
                + fmt(a.vMedian()) + " -> " + fmt(b.vMedian()));
    }

    /**
     * Whether the optimizer's denominator shrank over the window, as note 000's mechanism needs: the median second-moment
     * estimate v at the reading with the largest effective step is below the median at the window's first reading. A
     * spike whose v grew meanwhile came with gradients that grew, not with a denominator that decayed on quiet
     * directions: a step too large for the surface (RAdam at lr 5 on blobs: median v 6.3e-6 -> 9.3e-5 while the loss
     * jumped 11x), which a larger eps or AMSGrad would not cure. The true spikes of the suite's tuning halves fell 2.7x
     * to 8x. True without adaptive readings (nothing to judge by).
     */
    static boolean denominatorFell(List<StepReading> window) {
        StepReading first = null, peak = null;
        for (StepReading r : window) {
            if (r.adaptive() == null) continue;
            if (first == null) first = r;
            if (peak == null || r.adaptive().stepP99() > peak.adaptive().stepP99()) peak = r;
        }
        if (first == null || first == peak) return true;
        return !(peak.adaptive().vMedian() > first.adaptive().vMedian());
    }

    @Override
    public Optional<Finding> examine(List<StepReading> window, List<CurvatureReading> curvature, RunFacts facts) {
        return examine(window, facts).map(f -> SharpnessEvidence.latest(curvature)
                .map(c -> SharpnessEvidence.withEvidence(f, SharpnessEvidence.describe(c, facts))).orElse(f));
    }

    @Override
    public Optional<Finding> examine(List<StepReading> window, RunFacts facts) {
        if (!facts.adaptive() || window.size() < minStable + recent) return Optional.empty();
        List<StepReading> before = window.subList(0, window.size() - recent), last = window.subList(window.size() - recent, window.size());
        double stable = Readings.median(before.stream().mapToDouble(StepReading::loss).toArray());
        double spike = Readings.median(last.stream().mapToDouble(StepReading::loss).toArray());
        if (last.stream().anyMatch(r -> !Double.isFinite(r.loss()))) return Optional.empty();
        boolean significant = spike > facts.negligibleLoss()
                || spike > ORDERS * stable && Double.isFinite(facts.firstLoss()) && spike > ROUNDOFF * Math.abs(facts.firstLoss());
        if (!(spike > factor * stable) || !(stable > 0) || !significant) return Optional.empty();
        if (!denominatorFell(window)) return Optional.empty();
        // onset: the start of the run of readings, ending at the newest, whose loss is above sqrt(factor) x the stable median
        long onset = window.getLast().step();
        for (int i = window.size() - 1; i >= 0 && window.get(i).loss() > Math.sqrt(factor) * stable; i--) onset = window.get(i).step();
        // A spike leaves the range the stable steps' own batches spanned before its onset: mini-batch losses of a healthy
        // Adam run on an imbalanced table ranged from 0.002 to 0.29 around a median of 0.06, and three batches at 0.07-0.23
        // (3.1x the median) were batch noise, gone at the next step. The steps from the onset on are the spike's own rise.
        final long from = onset;
        double range = window.stream().filter(r -> r.step() < from).mapToDouble(StepReading::loss).filter(Double::isFinite).max().orElse(Double.NaN);
        if (!(spike > range)) return Optional.empty();
        List<String> evidence = new ArrayList<>();
        evidence.add("loss " + fmt(spike) + " over the last " + recent + " readings (to step " + window.getLast().step() + "), " + fmt(spike / stable)
                + "x its median " + fmt(stable) + " over the stable steps " + window.getFirst().step() + "-" + before.getLast().step());
        List<StepReading> fullBefore = Readings.full(before), fullLast = Readings.full(last);
        if (!fullBefore.isEmpty() && !fullLast.isEmpty()) {
            double r0 = Readings.median(fullBefore.stream().mapToDouble(LrTooHighDetector::largestRatio).toArray());
            double r1 = LrTooHighDetector.largestRatio(fullLast.getLast());
            evidence.add("largest update/weight ratio " + fmt(r1) + " at step " + fullLast.getLast().step() + " vs median " + fmt(r0) + " before ("
                    + fmt(r1 / r0) + "x)");
        }
        adaptiveStepEvidence(window).ifPresent(evidence::add);
        double lr = facts.learningRate();
        List<Remedy> remedies = new ArrayList<>();
        remedies.add(Remedies.learningRate(facts, lr / 3, "note 000: lowering the learning rate stopped the blow-up"));
        Remedies.eps(facts, epsChange(facts.optimizer()), "when the second-moment estimate v decays toward 0 on a quiet"
                + " direction, m/(sqrt(v)+eps) becomes a huge step the moment the gradient returns; a larger eps bounds it").ifPresent(remedies::add);
        remedies.add(Remedies.warmup(1000, "a warm-up (and decay) keeps the effective step small while v is poorly estimated"));
        remedies.add(Remedies.clipGlobalNorm(1.0, "clipping caps the step the spike would take"));
        Remedies.amsgrad(facts, "AMSGrad keeps the largest v seen, so the adaptive step cannot grow back after v decayed").ifPresent(remedies::add);
        return Optional.of(new Finding(id(), "Loss spike in a stable adaptive-optimizer run", Severity.WARNING, onset, window.getLast().step(), List.of(),
                evidence, "The run was stable, then the loss jumped: with adaptive optimizers (Adam, RMSprop, Adagrad, ...) the per-parameter step lr*m/sqrt(v) can grow large"
                        + " when v has decayed on directions whose gradient was small, and products of per-layer factors (ReLU + BatchNorm)"
                        + " can grow beyond what the adaptive rate holds (note 000).", List.copyOf(remedies)));
    }
}
